/*
 * list.h — intrusive doubly linked lists, the kernel's basic container.
 *
 * A struct that wants to be on a list embeds a `struct list_node`; the list
 * itself is a `struct list_node` head whose next/prev point back to itself
 * when empty. list_entry() gets from a node back to the struct around it.
 * No allocation ever happens here, so insert and remove cannot fail — which
 * matters in a scheduler that must never run out of memory mid-switch.
 * Used by the process list (OSTEP ch. 4) and the scheduling queues (ch. 7-9).
 */
#ifndef PRISM_LIB_LIST_H
#define PRISM_LIB_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
    struct list_node *next, *prev;
};

#define LIST_HEAD_INIT(name)                                                                       \
    {                                                                                              \
        &(name), &(name)                                                                           \
    }

#define list_entry(node, type, member) ((type *)((char *)(node)-offsetof(type, member)))

#define list_for_each(cursor, head)                                                                \
    for (struct list_node *cursor = (head)->next; cursor != (head); cursor = cursor->next)

/* Safe against removal of `cursor` inside the loop body. */
#define list_for_each_safe(cursor, head)                                                           \
    for (struct list_node *cursor = (head)->next, *cursor##_next = cursor->next; cursor != (head); \
         cursor = cursor##_next, cursor##_next = cursor->next)

static inline void list_init(struct list_node *head)
{
    head->next = head->prev = head;
}

static inline bool list_empty(const struct list_node *head)
{
    return head->next == head;
}

/* A node not on any list points at itself (after list_init or list_remove). */
static inline bool list_linked(const struct list_node *node)
{
    return node->next != node && node->next != NULL;
}

static inline void list_insert_between(struct list_node *node, struct list_node *prev,
                                       struct list_node *next)
{
    node->prev = prev;
    node->next = next;
    prev->next = node;
    next->prev = node;
}

static inline void list_push_back(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head->prev, head);
}

static inline void list_push_front(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head, head->next);
}

static inline void list_remove(struct list_node *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    node->next = node->prev = node;
}

static inline struct list_node *list_pop_front(struct list_node *head)
{
    if (list_empty(head))
        return NULL;
    struct list_node *node = head->next;
    list_remove(node);
    return node;
}

static inline size_t list_length(const struct list_node *head)
{
    size_t length = 0;
    for (const struct list_node *node = head->next; node != head; node = node->next)
        length++;
    return length;
}

#endif
