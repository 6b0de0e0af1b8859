/*
 * vm.c — making a virtual machine and taking it apart (vm.h).
 *
 * vm_run checks the image header before anything is allocated (a file that
 * is not a guest, or does not fit in its memory, is refused with a reason),
 * then builds guest RAM, copies the image straight from the caller into the
 * guest's frames, fills the VMCB with the start state (long mode at the
 * image's entry, its own page table in CR3, a fresh FPU of its own), and
 * runs vm_loop. Whatever happens, guest RAM, the nested tables and the
 * VMCB go back to the frame allocator before the call returns. Running VMs are kept in a small
 * table by slot; a slot is also the VM's ASID, so no two live VMs share TLB tags. OSTEP appendix B
 * (Virtual Machine Monitors).
 */
#include "kernel/virt/vm.h"
#include "kernel/console.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/user_copy.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/trace/trace.h"
#include "kernel/virt/vm_machine.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"

#define VM_SLOTS 8           /* VMs running at once (ASIDs 1..8) */
#define VM_FRAME_RESERVE 256 /* frames left for everyone else after a VM is built */

/* Guest start state: long mode, flat 64-bit code and data segments. */
#define GUEST_CR0 0x80010031UL /* PG | WP | NE | ET | PE */
#define GUEST_CR4 0x20UL       /* PAE */
#define GUEST_EFER 0x1500UL    /* SVME | LMA | LME (SVME: VMRUN insists) */
#define GUEST_CODE 0x08
#define GUEST_DATA 0x10
#define CODE64_ATTRIBUTES 0x29b /* L, present, code, exec/read, accessed */
#define DATA_ATTRIBUTES 0xc93   /* G, D/B, present, data, read/write, accessed */
#define TSS_ATTRIBUTES 0x08b    /* present, 64-bit busy TSS */
#define GUEST_PAT 0x0007040600070406UL

static struct vm *slots[VM_SLOTS];
static unsigned asid_limit; /* slots usable: min(VM_SLOTS, ASIDs - 1) */

int vm_probe(char *why, size_t size)
{
    uint32_t asids;
    const char *reason = svm_unavailable_reason(&asids);
    if (reason) {
        format_snprintf(why, size, "%s", reason);
        return -ENODEV;
    }
    format_snprintf(why, size, "AMD SVM with nested paging, %u ASIDs", asids);
    asid_limit = asids - 1 < VM_SLOTS ? asids - 1 : VM_SLOTS;
    return 0;
}

static long refuse(struct vm_report *report, long error, const char *reason)
{
    format_snprintf(report->detail, sizeof(report->detail), "%s", reason);
    return error;
}

/* Everything the header promises must hold before memory is spent on it. */
static long check_header(const struct vm_image_header *header, uint64_t given_bytes,
                         uint64_t memory_bytes, struct vm_report *report)
{
    if (memcmp(header->magic, VM_IMAGE_MAGIC, 8) != 0)
        return refuse(report, -ENOEXEC, "not a guest image (no PRISMVM1 header)");
    if (header->version != VM_IMAGE_VERSION || header->header_bytes != sizeof(*header))
        return refuse(report, -ENOEXEC, "guest image of an unknown version");
    if (header->image_bytes != given_bytes)
        return refuse(report, -ENOEXEC, "guest image is truncated or has trailing bytes");
    if (memory_bytes == 0 || memory_bytes % PAGE_SIZE || memory_bytes > VM_MEMORY_MAX)
        return refuse(report, -EINVAL, "guest memory must be 4 KiB .. 16 MiB, whole pages");
    uint64_t load = header->load_address;
    if (load % PAGE_SIZE || load >= memory_bytes || given_bytes > memory_bytes - load)
        return refuse(report, -EINVAL, "guest image does not fit in its memory");
    if (header->entry < load || header->entry >= load + given_bytes)
        return refuse(report, -ENOEXEC, "guest entry point is outside the image");
    if (header->page_table % PAGE_SIZE || header->page_table >= memory_bytes)
        return refuse(report, -ENOEXEC, "guest page table is outside guest memory");
    return 0;
}

/* Copies the image from the caller's memory into guest RAM, page by page. */
static int load_image(struct vm *vm, uint64_t user_image, uint64_t bytes, uint64_t load_address)
{
    for (uint64_t done = 0; done < bytes;) {
        uint64_t guest_physical = load_address + done, host;
        if (!guest_memory_translate(&vm->memory, guest_physical, &host))
            return -EFAULT;
        uint64_t chunk = PAGE_SIZE - (guest_physical & (PAGE_SIZE - 1));
        if (chunk > bytes - done)
            chunk = bytes - done;
        if (user_copy_in(phys_to_virt(host), user_image + done, chunk) < 0)
            return -EFAULT;
        done += chunk;
    }
    return 0;
}

static void set_segment(struct svm_segment *segment, uint16_t selector, uint16_t attributes)
{
    *segment = (struct svm_segment){
        .selector = selector, .attributes = attributes, .limit = 0xffffffff, .base = 0};
}

/* The VMCB: what exits, where guest memory is, and the start state. */
static void fill_vmcb(struct vm *vm, const struct vm_image_header *header)
{
    struct svm_vmcb *vmcb = vm->vmcb;
    vmcb->intercepts = SVM_INTERCEPT(SVM_EXIT_INTR) | SVM_INTERCEPT(SVM_EXIT_NMI) |
                       SVM_INTERCEPT(SVM_EXIT_CPUID) | SVM_INTERCEPT(SVM_EXIT_HLT) |
                       SVM_INTERCEPT_IOIO_PROT | SVM_INTERCEPT_MSR_PROT |
                       SVM_INTERCEPT(SVM_EXIT_SHUTDOWN);
    /* VMRUN itself must be intercepted; so are the other SVM instructions
     * (VMMCALL, VMLOAD, VMSAVE, STGI, CLGI, SKINIT): a guest gets no SVM. */
    for (uint64_t code = SVM_EXIT_VMRUN; code <= SVM_EXIT_VMRUN + 6; code++)
        vmcb->intercepts |= SVM_INTERCEPT(code);
    vmcb->iopm_base = svm_io_permission_map();
    vmcb->msrpm_base = svm_msr_permission_map();
    vmcb->asid = vm->asid;
    vmcb->tlb_control = 1; /* a previous VM may have left entries with this ASID */
    vmcb->interrupt_control = SVM_V_INTR_MASKING;
    vmcb->nested_paging = 1;
    vmcb->nested_cr3 = vm->memory.nested_root;

    set_segment(&vmcb->cs, GUEST_CODE, CODE64_ATTRIBUTES);
    set_segment(&vmcb->ds, GUEST_DATA, DATA_ATTRIBUTES);
    set_segment(&vmcb->es, GUEST_DATA, DATA_ATTRIBUTES);
    set_segment(&vmcb->ss, GUEST_DATA, DATA_ATTRIBUTES);
    set_segment(&vmcb->fs, GUEST_DATA, DATA_ATTRIBUTES);
    set_segment(&vmcb->gs, GUEST_DATA, DATA_ATTRIBUTES);
    vmcb->tr = (struct svm_segment){.attributes = TSS_ATTRIBUTES, .limit = 0x67};
    vmcb->gdtr = (struct svm_segment){.limit = 0};
    vmcb->idtr = (struct svm_segment){.limit = 0};
    vmcb->cpl = 0;
    vmcb->efer = GUEST_EFER;
    vmcb->cr0 = GUEST_CR0;
    vmcb->cr3 = header->page_table;
    vmcb->cr4 = GUEST_CR4;
    vmcb->dr6 = 0xffff0ff0;
    vmcb->dr7 = 0x400;
    vmcb->rflags = 0x2; /* interrupts off until the guest has an IDT */
    vmcb->rip = header->entry;
    vmcb->rsp = 0;
    vmcb->guest_pat = GUEST_PAT;
}

static int claim_slot(struct vm *vm)
{
    for (unsigned i = 0; i < asid_limit; i++)
        if (!slots[i]) {
            slots[i] = vm;
            vm->asid = i + 1;
            return 0;
        }
    return -EBUSY;
}

static void release(struct vm *vm)
{
    if (vm->asid)
        slots[vm->asid - 1] = NULL;
    if (vm->vmcb_physical)
        pmm_unref(vm->vmcb_physical);
    guest_memory_destroy(&vm->memory);
    kfree(vm);
}

static long build(struct vm *vm, const struct vm_run_request *request,
                  const struct vm_image_header *header, uint64_t memory_bytes)
{
    struct vm_report *report = &vm->report;
    uint64_t frames = memory_bytes / PAGE_SIZE;
    if (pmm_free_frames() < frames + frames / 256 + 8 + VM_FRAME_RESERVE)
        return refuse(report, -ENOMEM, "not enough free frames for the guest's memory");
    if (claim_slot(vm) < 0)
        return refuse(report, -EBUSY, "too many VMs running at once");
    if (guest_memory_create(&vm->memory, memory_bytes) < 0)
        return refuse(report, -ENOMEM, "out of frames building guest memory");
    vm->vmcb_physical = pmm_alloc_zeroed();
    if (!vm->vmcb_physical)
        return refuse(report, -ENOMEM, "out of frames for the VMCB");
    vm->vmcb = phys_to_virt(vm->vmcb_physical);
    if (load_image(vm, request->image, request->image_bytes, header->load_address) < 0)
        return refuse(report, -EFAULT, "the image's bytes are not readable");
    fill_vmcb(vm, header);
    svm_guest_fpu_reset(&vm->fpu); /* its own FPU, not the caller's (svm.h) */
    vm->registers.rdi = request->guest_mode;
    vm->registers.rsi = request->guest_argument;
    report->memory_frames = frames;
    report->table_frames = guest_memory_table_frames(&vm->memory) + 1;
    return 0;
}

long vm_run(const struct vm_run_request *request, struct vm_report *report)
{
    memset(report, 0, sizeof(*report));
    report->pid = proc_current()->pid;
    if (vm_probe(report->detail, sizeof(report->detail)) < 0)
        return -ENODEV;
    report->detail[0] = '\0';
    if (request->image_bytes < sizeof(struct vm_image_header))
        return refuse(report, -ENOEXEC, "not a guest image (shorter than its header)");
    if (request->image_bytes > VM_IMAGE_MAX)
        return refuse(report, -EINVAL, "guest image larger than 1 MiB");
    if (!user_range_valid(request->image, request->image_bytes))
        return refuse(report, -EFAULT, "image pointer is not the caller's memory");
    if (request->output_bytes != 0 && /* 0: the guest's output is discarded */
        (request->output_bytes < 16 || request->output_bytes > PAGE_SIZE ||
         !user_range_valid(request->output_buffer, request->output_bytes)))
        return refuse(report, -EFAULT, "bad output buffer");
    struct vm_image_header header;
    if (user_copy_in(&header, request->image, sizeof(header)) < 0)
        return refuse(report, -EFAULT, "image pointer is not the caller's memory");
    uint64_t memory_bytes = request->memory_bytes ? request->memory_bytes : header.memory_bytes;
    long error = check_header(&header, request->image_bytes, memory_bytes, report);
    if (error < 0)
        return error;

    struct vm *vm = kzalloc(sizeof(*vm));
    if (!vm)
        return refuse(report, -ENOMEM, "out of kernel memory");
    vm->pid = report->pid;
    vm->report.pid = report->pid;
    vm->user_output = request->output_buffer;
    vm->user_output_bytes = request->output_bytes;
    vm->timer_period = request->timer_ticks ? request->timer_ticks : 1;
    error = build(vm, request, &header, memory_bytes);
    if (error == 0) {
        svm_enable();
        vm_loop(vm);
    }
    *report = vm->report;
    release(vm);
    if (error == 0 && report->end == VM_END_KILLED) /* the caller dies before it can say so */
        kprintf("vm: pid %d: VM ended by signal after %lu exits; its %lu frames returned\n",
                report->pid, (unsigned long)report->exits_total,
                (unsigned long)(report->memory_frames + report->table_frames));
    return error;
}

static struct vm *find(int pid)
{
    for (unsigned i = 0; i < VM_SLOTS; i++)
        if (slots[i] && slots[i]->pid == pid)
            return slots[i];
    return NULL;
}

int vm_stats(int pid, struct vm_report *report)
{
    struct vm *vm = find(pid);
    if (!vm)
        return -ESRCH;
    *report = vm->report;
    return 0;
}

int vm_walk(int pid, uint64_t address, struct vm_walk_info *walk)
{
    struct vm *vm = find(pid);
    if (!vm)
        return -ESRCH;
    bool paging = vm->vmcb->cr0 & (1UL << 31);
    guest_memory_walk(&vm->memory, paging, vm->vmcb->cr3, address, walk);
    return 0;
}
