; trap_entry.asm — the 256 doors into the kernel and the one hallway behind them.
;
; The CPU enters through the IDT entry for a vector with the interrupted
; context (ss, rsp, rflags, cs, rip — and for some exceptions an error code)
; already pushed on the kernel stack. Each stub below makes the stack look the
; same for every vector (a zero error code where the CPU pushed none, then the
; vector number) and jumps to trap_common, which saves the general registers
; to complete a struct trap_frame (trap.h) and calls trap_dispatch(frame).
; Returning pops it all back and iretq resumes the interrupted code.
; OSTEP ch. 6 (Limited Direct Execution): the trap table.

bits 64
%include "kernel/arch/x86_64/trap_frame.inc"
section .text

extern trap_dispatch
extern user_return_refused

; Exceptions for which the CPU pushes an error code itself (Intel SDM 6.3.1).
%define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%macro TRAP_STUB 1
trap_stub_%1:
%if HAS_ERROR_CODE(%1) == 0
    push 0                                ; no error code: keep the layout uniform
%endif
    push %1                               ; the vector number
    jmp trap_common
%endmacro

%assign vector 0
%rep 256
    TRAP_STUB vector
%assign vector vector + 1
%endrep

trap_common:
    test qword [rsp + 24], 3              ; interrupted cs: did we come from ring 3?
    jz .from_kernel
    swapgs                                ; yes: GS must point at struct cpu
.from_kernel:
    PUSH_GENERAL_REGISTERS                ; complete struct trap_frame
    cld                                   ; the C ABI expects DF clear
    mov rdi, rsp                          ; argument: the trap frame
    call trap_dispatch                    ; stack is 16-byte aligned here
; Every return to a frame goes through here: interrupts, exceptions, a
; brand-new process, and system calls that cannot use sysret. Before iretq
; to ring 3: rip must lie in the user half and rsp be canonical, or iretq
; itself would raise #GP in ring 0 (user_return.c refuses such a return and
; kills the process instead).
global trap_return
trap_return:
    test qword [rsp + FRAME_CS], 3
    jz .restore                           ; back into the kernel: nothing to check
    mov rax, [rsp + FRAME_RIP]
    shr rax, 47                           ; user half: bits 63..47 all zero
    jnz .refuse
    mov rax, [rsp + FRAME_RSP]
    sar rax, 47                           ; canonical: bits 63..47 all equal,
    add rax, 1                            ; so this is 0 (all ones) or 1 (all zeros)
    cmp rax, 1
    ja .refuse
.restore:
    POP_GENERAL_REGISTERS
    add rsp, 16                           ; drop vector and error code
    test qword [rsp + 8], 3               ; returning to ring 3?
    jz .to_kernel
    swapgs                                ; give the user its GS back
.to_kernel:
    iretq                                 ; restore rip, cs, rflags, rsp, ss
.refuse:
    mov rdi, rsp                          ; user_return_refused(frame): never returns
    call user_return_refused
    ud2

section .rodata
global trap_stub_table
trap_stub_table:                          ; idt.c points each IDT entry here
%assign vector 0
%rep 256
    dq trap_stub_ %+ vector
%assign vector vector + 1
%endrep
