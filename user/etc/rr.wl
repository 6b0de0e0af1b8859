# OSTEP Figures 7.6 and 7.7: three 5 s jobs arrive together; RR with a 1 s
# slice answers all three at once (response 0, 1, 2: avg 1) but finishes
# them late (turnaround 13, 14, 15: avg 14); SJF (and FIFO) the opposite
# (response 0, 5, 10: avg 5; turnaround 5, 10, 15: avg 10).
# One book second = 100 ms here: the default 100 ms quantum is the book's 1 s slice.
A   0   cpu:500
B   0   cpu:500
C   0   cpu:500
