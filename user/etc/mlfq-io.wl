# OSTEP Figure 8.4: an interactive job B (1 ms of CPU, then 9 ms of I/O, over
# and over) beside a long batch job A. Under the book's older rule 4b, kept
# here with mlfq.py's -S (mlfq_io_stays=1), an I/O resets B's allotment, so B
# stays at the top level and runs the moment it wakes while A sinks to the
# bottom. Without io_stays (rule 4) B's 1 ms bursts add up: after 10 ms of
# CPU it drops a level anyway.
!kargs hz=1000 quantum=10 mlfq_quantum=10 mlfq_allotment_slices=1 mlfq_boost=0 mlfq_io_stays=1
A   0     cpu:200
B   50    cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1 io:9 cpu:1
