; tiny_entry.asm — the tiny guest OS's header, boot tables and interrupt entry.
;
; Prism's hypervisor starts a guest the way Prism's own boot.asm ends up:
; already in 64-bit long mode, rip at `entry`, CR3 at `page_table`, both
; named by the header below (lib/vm_abi.h). Starting in long mode keeps the
; guest small and in C like the kernel; what a real boot loader would do
; (real mode, protected mode, enabling paging) is what boot.asm shows. The
; guest still owns its machine: its page tables are built here, at assembly
; time (an identity map of its 2 MiB with 4 KiB pages, page 0 left out so a
; NULL dereference faults), and its first instructions load its own GDT and
; IDT. The IDT has one gate that matters, vector 32: the virtual timer the
; hypervisor injects. Its handler saves every register on the interrupted
; task's stack and lets C pick the task to resume (tiny.c) — the same
; context switch as Prism's, one level down. Every guest in user/guest/ is
; linked with this file and brings its own guest_main and guest_timer.
; OSTEP appendix B (Virtual Machine Monitors), ch. 6 (context switch on a
; timer interrupt).

bits 64

GUEST_MEMORY equ 0x200000       ; 2 MiB of guest RAM
TIMER_VECTOR equ 32

extern guest_main, guest_timer, __image_bytes, __stack_top

section .header progbits alloc noexec nowrite align=8
    db "PRISMVM1"               ; magic
    dd 1                        ; version
    dd 56                       ; header bytes
    dq 0x100000                 ; load address (guest-physical)
    dq guest_entry              ; entry (guest-virtual = guest-physical here)
    dq guest_pml4               ; the first CR3
    dq GUEST_MEMORY             ; memory wanted
    dq __image_bytes            ; the image's size (from the linker script)

section .text
global guest_entry
guest_entry:                    ; rdi = mode, rsi = argument (from `vm`)
    lgdt [gdt_pointer]
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    lea rsp, [rel __stack_top]
    push 0x08                   ; reload cs from our own GDT with a far return
    lea rax, [rel .reloaded]
    push rax
    retfq
.reloaded:
    lea rax, [rel timer_entry]  ; fill gate 32 (the address is known only now)
    mov [idt + TIMER_VECTOR * 16], ax
    shr rax, 16
    mov [idt + TIMER_VECTOR * 16 + 6], ax
    shr rax, 16
    mov [idt + TIMER_VECTOR * 16 + 8], eax
    lidt [idt_pointer]
    call guest_main             ; never returns
.stuck:
    cli
    hlt
    jmp .stuck

; The virtual timer: save the interrupted task, ask C whom to resume.
timer_entry:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp                ; the interrupted task's saved state
    call guest_timer            ; returns the stack of the task to run next
    mov rsp, rax
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    iretq

; Used by tiny.c to fake a first interrupt frame for a new task.
global guest_task_start
guest_task_start:               ; pops like timer_entry, then iretq into the task
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    iretq

; Crash on purpose (VM_GUEST_CRASH): an empty IDT, then an exception that
; cannot be delivered, then a double fault that cannot be either: a triple
; fault, which the hypervisor sees as a SHUTDOWN exit.
global guest_triple_fault
guest_triple_fault:
    lidt [empty_idt_pointer]
    ud2

section .data
align 8
gdt:
    dq 0                        ; null
    dq 0x00af9a000000ffff       ; 0x08: 64-bit code, ring 0
    dq 0x00cf92000000ffff       ; 0x10: data, ring 0
gdt_pointer:
    dw gdt_pointer - gdt - 1
    dq gdt
align 16
idt:                            ; gate 32 completed at boot; the rest not present
    times TIMER_VECTOR * 16 db 0
    dw 0                        ; offset 0-15 (filled in)
    dw 0x08                     ; code selector
    db 0                        ; IST
    db 0x8e                     ; present, ring 0, 64-bit interrupt gate
    dw 0                        ; offset 16-31
    dd 0                        ; offset 32-63
    dd 0
idt_end:
idt_pointer:
    dw idt_end - idt - 1
    dq idt
empty_idt_pointer:
    dw 0
    dq 0

; The guest's page tables: PML4 -> PDPT -> PD -> one PT for the first 2 MiB.
section .page_tables progbits alloc noexec write align=4096
global guest_pml4
guest_pml4:
    dq guest_pdpt + 3           ; present | writable
    times 511 dq 0
guest_pdpt:
    dq guest_pd + 3
    times 511 dq 0
guest_pd:
    dq guest_pt + 3
    times 511 dq 0
guest_pt:
    dq 0                        ; page 0: not present (NULL faults)
%assign page 1
%rep 511
    dq page * 4096 + 3
%assign page page + 1
%endrep
