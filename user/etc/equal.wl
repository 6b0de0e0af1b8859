# OSTEP Figure 7.1: three equal jobs (10 s each) arrive together. FIFO (and
# SJF): turnaround 10, 20, 30 (avg 20), response 0, 10, 20 (avg 10).
# One book second = 10 ms.
A   0   cpu:100
B   0   cpu:100
C   0   cpu:100
