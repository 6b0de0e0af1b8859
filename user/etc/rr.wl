# Three equal jobs (OSTEP 7.6): round robin answers all three at once (good
# response) but finishes them all late (poor turnaround); fifo the opposite.
A   0   cpu:500
B   0   cpu:500
C   0   cpu:500
