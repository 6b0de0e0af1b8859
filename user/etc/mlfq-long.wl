# OSTEP Figure 8.2: a single long-running job under a three-queue MLFQ with
# 10 ms slices and an allotment of one slice (mlfq.py -n 3 -q 10 -a 1): it
# runs 10 ms at the top (level 0), 10 ms at level 1, then stays at the bottom
# (level 2). Times are the book's own ms (1 ms ticks).
!kargs hz=1000 quantum=10 mlfq_quantum=10 mlfq_allotment_slices=1 mlfq_boost=0
A   0   cpu:200
