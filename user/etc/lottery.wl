# Proportional share (OSTEP ch. 9): A holds 3 times B's tickets, so under
# lottery it gets about 75% of the CPU and under stride exactly 75%.
!duration 3000
A   0   cpu:100000   tickets=300
B   0   cpu:100000   tickets=100
