# FIFO's convoy effect (OSTEP 7.3): a long job arrives first and the short
# ones wait behind it. Compare fifo with rr and mlfq.
long    0   cpu:1000
short1  10  cpu:100
short2  20  cpu:100
