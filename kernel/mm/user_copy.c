/*
 * user_copy.c — copying between kernel buffers and user memory, safely.
 *
 * Instead of dereferencing a user pointer and hoping, each page of the range
 * is looked up in the running process's page table. A page that is not there
 * yet but is owed (demand-zero heap or stack) or is copy-on-write is resolved
 * by vm_fault(), exactly as the page-fault exception would resolve it;
 * anything else ends the copy with -EFAULT.
 * The bytes then move through the kernel's direct map of physical memory, so
 * the kernel never takes a page fault on a user's behalf.
 * OSTEP ch. 6 (protected control transfer: never trust user arguments).
 */
#include "kernel/mm/user_copy.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/vm_fault.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "lib/errno.h"
#include "lib/string.h"

bool user_range_valid(uint64_t address, uint64_t length)
{
    if (address >= USER_HALF_END)
        return length == 0 && address == USER_HALF_END;
    return length <= USER_HALF_END - address;
}

/* The kernel address of user byte `address`, made accessible for `write`. */
static void *user_byte(struct address_space *as, uint64_t address, bool write)
{
    uint64_t *entry = page_table_find_entry(as->pml4, address);
    bool usable = entry && (*entry & PTE_PRESENT) && (*entry & PTE_USER) &&
                  (!write || (*entry & PTE_WRITABLE));
    if (!usable) {
        struct vm_fault_outcome outcome =
            vm_fault(as, address, write ? VM_ACCESS_WRITE : VM_ACCESS_READ);
        if (!outcome.resolved)
            return NULL;
        entry = page_table_find_entry(as->pml4, address);
        if (!entry || !(*entry & PTE_PRESENT) || !(*entry & PTE_USER))
            return NULL;
    }
    return (char *)phys_to_virt(*entry & PTE_ADDRESS_MASK) + (address & (PAGE_SIZE - 1));
}

static int copy_pages(void *kernel_buffer, uint64_t user_address, size_t length, bool to_user)
{
    struct proc *p = proc_current();
    if (!p->address_space || !user_range_valid(user_address, length))
        return -EFAULT;
    char *buffer = kernel_buffer;
    while (length > 0) {
        size_t chunk = PAGE_SIZE - (user_address & (PAGE_SIZE - 1));
        if (chunk > length)
            chunk = length;
        char *user = user_byte(p->address_space, user_address, to_user);
        if (!user)
            return -EFAULT;
        if (to_user)
            memcpy(user, buffer, chunk);
        else
            memcpy(buffer, user, chunk);
        buffer += chunk;
        user_address += chunk;
        length -= chunk;
    }
    return 0;
}

int user_copy_in(void *kernel_destination, uint64_t user_source, size_t length)
{
    return copy_pages(kernel_destination, user_source, length, false);
}

int user_copy_out(uint64_t user_destination, const void *kernel_source, size_t length)
{
    return copy_pages((void *)kernel_source, user_destination, length, true);
}

long user_copy_string(char *kernel_destination, uint64_t user_source, size_t size)
{
    struct proc *p = proc_current();
    if (!p->address_space)
        return -EFAULT;
    if (size == 0) /* not even the NUL fits: too long, whatever is there */
        return -ENAMETOOLONG;
    for (size_t i = 0; i < size; i++) {
        uint64_t address = user_source + i;
        if (address < user_source || !user_range_valid(address, 1))
            return -EFAULT;
        const char *user = user_byte(p->address_space, address, false);
        if (!user)
            return -EFAULT;
        kernel_destination[i] = *user;
        if (*user == '\0')
            return (long)i;
    }
    kernel_destination[size - 1] = '\0';
    return -ENAMETOOLONG;
}
