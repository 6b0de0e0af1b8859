; syscall_entry.asm — where the `syscall` instruction lands in the kernel,
; and the fast way back out.
;
; `syscall` switches to ring 0 and jumps here, but unlike an interrupt it does
; not switch stacks and saves only rip (in rcx) and rflags (in r11); interrupts
; are masked by the SFMASK MSR. So the first instructions borrow the per-CPU
; area (through GS, after swapgs) to park the user's rsp and load the
; process's kernel stack, then build the same struct trap_frame that an
; interrupt would (trap.h), so fork, exec, signals and the return path treat
; both alike.
;
; The way back: `sysret` is the mirror of `syscall` and much cheaper than
; iretq (it reloads rip from rcx and rflags from r11, with fixed user cs and
; ss, and checks almost nothing), so it is used whenever it restores exactly
; what iretq would from the frame:
;   - frame rcx == frame rip and frame r11 == frame rflags (true after every
;     ordinary system call, since `syscall` put them there; false after exec
;     or setcontext rewrote the frame, which then needs iretq);
;   - no TF or RF in rflags (sysret cannot restore RF, and TF would trap
;     right after it instead of after the next user instruction);
;   - cs and ss are the user selectors sysret loads;
;   - rip in the user half and rsp canonical.
; Anything else leaves through trap_return and iretq, which refuses (kills
; the process) a return to a non-canonical address.
;
; The non-canonical rcx hazard: on Intel CPUs, sysret with a non-canonical
; rcx raises #GP while still in ring 0 — but after this code has already
; loaded the user's rsp and swapped back to the user's GS. The #GP handler
; would then run on a stack and with a GS base the user chose (the 2012
; sysret vulnerability in several kernels). AMD CPUs fault after the switch
; to ring 3 instead. Prism therefore never executes sysret unless rcx is a
; user-half address (bits 63..47 zero), which rules out both the
; non-canonical addresses and the kernel half.
;
; Between `mov rsp, user rsp` and sysret the CPU is in ring 0 on the user's
; stack, and right after `syscall` it is in ring 0 on it too. Maskable
; interrupts are off there, but an NMI or machine check is not maskable:
; those vectors run on their own IST stacks (idt.c) so they never push onto
; a user stack.
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
RFLAGS_TF             equ 1 << 8
RFLAGS_RF             equ 1 << 16

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

    ; Can sysret restore this frame exactly? (the rules are in the header)
    mov rcx, [rsp + FRAME_RIP]
    cmp rcx, [rsp + FRAME_RCX]
    jne trap_return
    mov r11, [rsp + FRAME_RFLAGS]
    cmp r11, [rsp + FRAME_R11]
    jne trap_return
    test r11, RFLAGS_TF | RFLAGS_RF
    jnz trap_return
    cmp qword [rsp + FRAME_CS], USER_CODE_SELECTOR
    jne trap_return
    cmp qword [rsp + FRAME_SS], USER_DATA_SELECTOR
    jne trap_return
    mov rax, rcx
    shr rax, 47                             ; rip in the user half: the hazard above
    jnz trap_return
    mov rax, [rsp + FRAME_RSP]
    sar rax, 47                             ; rsp canonical: 0 or all ones ...
    add rax, 1                              ; ... becomes 1 or 0
    cmp rax, 1
    ja trap_return
    POP_GENERAL_REGISTERS                   ; rcx = rip and r11 = rflags, as checked
    mov rsp, [rsp + 40]                     ; past vector, error, rip, cs, rflags: user rsp
    swapgs                                  ; user GS back (nothing below uses GS)
    o64 sysret                              ; to ring 3 at rcx with rflags = r11
