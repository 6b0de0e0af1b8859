# OSTEP Figures 7.4 and 7.5: B and C (10 s each) arrive at 10 s, after A
# (100 s) has started. SJF cannot preempt A: turnaround A 100, B 100, C 110
# (avg 103.33). STCF preempts it: A 120, B 10, C 20 (avg 50); response
# A 0, B 0, C 10 (avg 3.33). One book second = 10 ms.
A   0     cpu:1000
B   100   cpu:100
C   100   cpu:100
