# MLFQ (OSTEP ch. 8): two CPU hogs sink to the bottom queue, an interactive
# job that sleeps often stays on top and answers fast; the boost keeps the
# hogs from starving.
hog1    0     cpu:2000
hog2    0     cpu:2000
inter   200   cpu:10 io:80 cpu:10 io:80 cpu:10 io:80 cpu:10 io:80 cpu:10 io:80 cpu:10 io:80 cpu:10 io:80 cpu:10 io:80 cpu:10
