# OSTEP Figure 8.3: along came a short job. A (200 ms) has sunk to the bottom
# when B (20 ms) arrives at 100 ms; B runs at once, two slices at levels 0
# and 1, and is done at 120 ms (turnaround 20, response 0), as SJF would; A
# finishes at 220 ms. mlfq.py -n 3 -q 10 -a 1, the book's own ms.
!kargs hz=1000 quantum=10 mlfq_quantum=10 mlfq_allotment_slices=1 mlfq_boost=0
A   0     cpu:200
B   100   cpu:20
