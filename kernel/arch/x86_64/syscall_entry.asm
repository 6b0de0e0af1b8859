; syscall_entry.asm — where the `syscall` instruction lands in the kernel.
;
; `syscall` switches to ring 0 and jumps here, but unlike an interrupt it does
; not switch stacks and saves only rip (in rcx) and rflags (in r11); interrupts
; are masked by the SFMASK MSR. So the first instructions borrow the per-CPU
; area (through GS, after swapgs) to park the user's rsp and load the
; process's kernel stack, then build the same struct trap_frame that an
; interrupt would (trap.h), so fork, exec, signals and the return path treat
; both alike. The return goes through trap_return and iretq.
; OSTEP ch. 6 (Limited Direct Execution): the system-call trap.

bits 64
%include "kernel/arch/x86_64/trap_frame.inc"
section .text

extern syscall_dispatch
extern trap_return

CPU_OFFSET_KERNEL_RSP equ 8   ; keep in step with struct cpu (cpu.h)
CPU_OFFSET_USER_RSP   equ 16
USER_DATA_SELECTOR    equ 0x1b
USER_CODE_SELECTOR    equ 0x23
SYSCALL_VECTOR        equ 0x100 ; not an IDT vector: marks a syscall frame

global syscall_entry
syscall_entry:
    swapgs                                  ; GS now points at struct cpu
    mov [gs:CPU_OFFSET_USER_RSP], rsp       ; park the user stack pointer
    mov rsp, [gs:CPU_OFFSET_KERNEL_RSP]     ; and take this process's kernel stack
    push USER_DATA_SELECTOR                 ; ss     } the five words an interrupt
    push qword [gs:CPU_OFFSET_USER_RSP]     ; rsp    } from ring 3 would have
    push r11                                ; rflags } pushed, so iretq can
    push USER_CODE_SELECTOR                 ; cs     } return from this frame
    push rcx                                ; rip    }
    push 0                                  ; error code slot
    push SYSCALL_VECTOR                     ; vector slot
    PUSH_GENERAL_REGISTERS                  ; then the general registers
    xor ebp, ebp                            ; backtraces stop at the user boundary
    mov rdi, rsp                            ; syscall_dispatch(frame)
    call syscall_dispatch
    jmp trap_return                         ; restores registers, swapgs, iretq
