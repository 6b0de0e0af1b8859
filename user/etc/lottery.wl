# OSTEP 9.1-9.2: A holds 75 tickets, B 25, so under lottery A wins about 75%
# of the draws (a binomial: over the 300 10 ms slices of this run, 75% with
# a standard deviation of 2.5%); stride gives exactly 75%. The kernel ends
# both at 3 s, under every policy (FIFO runs A alone to the deadline).
!kargs quantum=1
!duration 3000
A   0   cpu:100000   tickets=75
B   0   cpu:100000   tickets=25
