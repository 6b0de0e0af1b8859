# OSTEP Figure 8.6 (right): gaming the scheduler does not pay. G runs 9 ms and
# does 1 ms of I/O, just short of its 10 ms slice, over and over; because the
# allotment counts all the CPU G used at a level (rule 4), G still drops a
# level for every 10 ms it runs and ends at the bottom beside A.
!kargs hz=1000 quantum=10 mlfq_quantum=10 mlfq_allotment_slices=1 mlfq_boost=0
A   0     cpu:200
G   50    cpu:9 io:1 cpu:9 io:1 cpu:9 io:1 cpu:9 io:1 cpu:9 io:1 cpu:9 io:1
