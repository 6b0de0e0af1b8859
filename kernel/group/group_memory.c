/*
 * group_memory.c — charging user frames to groups (see group_memory.h).
 *
 * Called by the memory code where user frames are allocated
 * (address_space.c, vm_fault.c, swap.c) and by pmm.c when a frame is freed;
 * group.c opens and closes a group's account. One byte per frame says whom
 * the frame is charged to, so freeing needs no search.
 * OSTEP ch. 23 (memory accounting), Linux's memory cgroup.
 */
#include "kernel/group/group_memory.h"
#include "kernel/panic.h"
#include "lib/errno.h"

#define FRAME_SHIFT 12

struct memory_account {
    bool open;
    uint64_t limit; /* pages; 0 = none */
    uint64_t used;  /* committed + reserved */
};

static uint8_t *owners;
static size_t owner_count;
static struct memory_account accounts[GROUP_MAX + 1];

void group_memory_set_owner_table(uint8_t *table, size_t frame_count)
{
    owners = table;
    owner_count = frame_count;
}

bool group_memory_ready(void)
{
    return owners != NULL;
}

static struct memory_account *account(unsigned id, const char *caller)
{
    if (id == GROUP_ROOT_ID || id > GROUP_MAX || !accounts[id].open)
        panic("%s: group %u has no memory account", caller, id);
    return &accounts[id];
}

void group_memory_open(unsigned id, uint64_t limit_pages)
{
    if (id == GROUP_ROOT_ID || id > GROUP_MAX || accounts[id].open)
        panic("group_memory_open: group %u cannot be opened", id);
    accounts[id] = (struct memory_account){.open = true, .limit = limit_pages, .used = 0};
}

void group_memory_close(unsigned id)
{
    struct memory_account *a = account(id, "group_memory_close");
    if (a->used != 0)
        panic("group %u ends with %lu frames still charged", id, (unsigned long)a->used);
    a->open = false;
}

bool group_memory_has_room(unsigned id, uint64_t pages)
{
    if (id == GROUP_ROOT_ID)
        return true;
    const struct memory_account *a = account(id, "group_memory_has_room");
    return a->limit == 0 || (a->used <= a->limit && pages <= a->limit - a->used);
}

int group_memory_reserve(unsigned id)
{
    if (id == GROUP_ROOT_ID)
        return 0;
    if (!group_memory_has_room(id, 1))
        return -ENOMEM;
    accounts[id].used++;
    return 0;
}

void group_memory_commit(unsigned id, uint64_t frame)
{
    if (id == GROUP_ROOT_ID)
        return;
    size_t number = (size_t)(frame >> FRAME_SHIFT);
    if (!owners || number >= owner_count || owners[number] != GROUP_ROOT_ID)
        panic("group_memory_commit: frame 0x%lx cannot be charged to group %u",
              (unsigned long)frame, id);
    owners[number] = (uint8_t)id;
}

void group_memory_unreserve(unsigned id)
{
    if (id == GROUP_ROOT_ID)
        return;
    struct memory_account *a = account(id, "group_memory_unreserve");
    if (a->used == 0)
        panic("group_memory_unreserve: group %u has nothing reserved", id);
    a->used--;
}

void group_memory_frame_freed(uint64_t frame)
{
    size_t number = (size_t)(frame >> FRAME_SHIFT);
    if (!owners || number >= owner_count || owners[number] == GROUP_ROOT_ID)
        return;
    unsigned id = owners[number];
    owners[number] = GROUP_ROOT_ID;
    group_memory_unreserve(id);
}

uint64_t group_memory_used(unsigned id)
{
    return id == GROUP_ROOT_ID || id > GROUP_MAX ? 0 : accounts[id].used;
}

uint64_t group_memory_limit(unsigned id)
{
    return id == GROUP_ROOT_ID || id > GROUP_MAX ? 0 : accounts[id].limit;
}
