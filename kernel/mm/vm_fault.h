/*
 * vm_fault.h — the page-fault path: what a touch of a user page that is not
 * usable as it stands means, decided in one place.
 *
 * Two callers reach it, with the same question: the CPU's page-fault
 * exception from user mode (kernel/arch/x86_64/user_fault.c decodes the error
 * code into an access) and user_copy.c, when a system call reads or writes a
 * user page that is missing or read-only. vm_fault either keeps a promise the
 * kernel made (demand-zero heap and stack, copy-on-write after fork) or says
 * why the access is the program's bug. It counts and reports nothing: the
 * trap side accounts the fault and kills; user_copy returns -EFAULT.
 * OSTEP ch. 21 (Swapping: Mechanisms — the page-fault path), ch. 23 (lazy
 * allocation and copy-on-write in complete VM systems).
 *
 * The seam for code beyond physical memory (swap, OSTEP ch. 21-22): a leaf
 * entry that is not present but not zero is not vm_fault's to interpret. After
 * the region's permissions are checked, such an entry is handed to the handler
 * registered with vm_fault_set_nonpresent_handler(), which must bring the page
 * back (make *entry present) and return a resolved outcome, or refuse. With no
 * handler registered such an entry is refused. The swapper (kernel/mm/swap.c)
 * registers one: such an entry is a swap entry (swap_entry.h).
 * page_table_visit() skips non-present leaves; as_destroy, as_fork and sbrk
 * use page_table_visit_leaves() to release or share swap entries too, and
 * page_table_prune() keeps a table that holds any non-zero entry.
 */
#ifndef PRISM_KERNEL_MM_VM_FAULT_H
#define PRISM_KERNEL_MM_VM_FAULT_H

#include <stdbool.h>
#include <stdint.h>

struct address_space;

enum vm_access { VM_ACCESS_READ, VM_ACCESS_WRITE, VM_ACCESS_EXECUTE };

struct vm_fault_outcome {
    bool resolved;      /* the access may be retried and will succeed */
    bool out_of_memory; /* owed to the program, but no frame was free */
    bool copy_on_write; /* resolved by copying (or reclaiming) a shared page */
    bool major;         /* resolved by reading the page back from swap (swap.c) */
    const char *reason; /* when not resolved: one phrase for the kill report */
};

/* Resolves an access to user `address` in `as` if the kernel owes the page,
 * mapping what is needed; otherwise maps nothing and says why. */
struct vm_fault_outcome vm_fault(struct address_space *as, uint64_t address, enum vm_access access);

/* Interprets a non-present, non-zero leaf `entry` for the page at `page`.
 * A handler that sleeps (waits for a disk) makes user_copy block: callers
 * that copy to user memory between a check and an update (file.c's pipe
 * read peeks, copies out, then consumes) must then recheck after the copy. */
typedef struct vm_fault_outcome (*vm_nonpresent_handler)(struct address_space *as, uint64_t page,
                                                         uint64_t *entry, enum vm_access access);

/* Installs (or, with NULL, removes) the one handler for such entries. */
void vm_fault_set_nonpresent_handler(vm_nonpresent_handler handler);

#endif
