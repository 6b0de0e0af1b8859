# OSTEP Figure 9.3: stride scheduling with tickets A 100, B 50, C 250
# (strides 100, 200, 40): in each round of 8 slices A runs 2, B 1, C 5, in
# the order A B C C C A C C. With 10 ms slices over 800 ms: A 200 ms, B 100,
# C 500. The kernel ends the jobs at 800 ms.
!kargs quantum=1
!duration 800
A   0   cpu:100000   tickets=100
B   0   cpu:100000   tickets=50
C   0   cpu:100000   tickets=250
