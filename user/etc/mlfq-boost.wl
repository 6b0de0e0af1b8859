# OSTEP Figure 8.5 (right): the priority boost. Every 50 ms from the start of
# the run (mlfq.py -B 50) every job goes back to the top, so the long job A
# is seen at level 0 again at 50, 100 and 150 ms and sinks again in 10 ms
# steps; the interactive I and J (2 ms of CPU, 3 ms of I/O) cannot starve it.
!kargs hz=1000 quantum=10 mlfq_quantum=10 mlfq_allotment_slices=1 mlfq_boost=50
A   0     cpu:120
I   20    cpu:2 io:3 cpu:2 io:3 cpu:2 io:3 cpu:2 io:3 cpu:2 io:3 cpu:2 io:3 cpu:2 io:3 cpu:2
J   20    cpu:2 io:3 cpu:2 io:3 cpu:2 io:3 cpu:2 io:3 cpu:2 io:3 cpu:2 io:3 cpu:2 io:3 cpu:2
