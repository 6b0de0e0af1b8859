# OSTEP Figures 7.2 and 7.3: the convoy effect. A (100 s) arrives just
# before B and C (10 s each). FIFO: turnaround A 100, B 110, C 120 (avg 110);
# SJF runs B and C first: B 10, C 20, A 120 (avg 50). One book second = 10 ms.
A   0   cpu:1000
B   0   cpu:100
C   0   cpu:100
