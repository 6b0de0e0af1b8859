; svm_run.asm — the world switch: host to guest with VMRUN, and back.
;
;   void svm_vmrun(uint64_t vmcb_physical, struct svm_guest_registers *guest,
;                  uint64_t host_state_physical, struct svm_guest_fpu *guest_fpu,
;                  struct svm_guest_fpu *host_fpu);
;
; VMRUN saves only part of the host (rip, rsp, rax, rflags, cr0/3/4, efer,
; cs/ss/ds/es, gdtr/idtr) in the host save area and loads the same part of
; the guest from the VMCB. The rest is software's job, done here:
;  - the general registers: the host's callee-saved ones go on this stack,
;    the guest's (except rax and rsp, which live in the VMCB) are loaded from
;    *guest before VMRUN and stored back after it;
;  - fs, gs, tr, ldtr and the syscall/sysenter MSRs (the kernel's GS base
;    points at struct cpu!): VMSAVE puts the host's in host_state, VMLOAD
;    brings the guest's from its VMCB, and the reverse after the exit;
;  - x87/MMX/SSE: VMRUN switches none of it, so fxsave parks the host
;    process's registers in *host_fpu and fxrstor loads *guest_fpu, and the
;    reverse after the exit, all while GIF=0 (the rule in svm.h): nothing
;    that runs on the host ever sees the guest's FPU state.
; Interrupts: the caller has IF clear (the kernel's rule). CLGI then STI
; means a host interrupt stays pending instead of being taken here; VMRUN
; sets GIF, so in the guest it causes an INTR #VMEXIT (intercepted); the
; exit clears GIF again; STGI after the exit lets the pending interrupt in
; right here, in kernel mode, and CLI restores the rule before returning.
; OSTEP appendix B (Virtual Machine Monitors); AMD APM vol. 2 §15.5, §15.17.

bits 64
section .text

GUEST_RBX equ 0
GUEST_RCX equ 8
GUEST_RDX equ 16
GUEST_RSI equ 24
GUEST_RDI equ 32
GUEST_RBP equ 40
GUEST_R8  equ 48
GUEST_R9  equ 56
GUEST_R10 equ 64
GUEST_R11 equ 72
GUEST_R12 equ 80
GUEST_R13 equ 88
GUEST_R14 equ 96
GUEST_R15 equ 104

global svm_vmrun
svm_vmrun:
    push rbp                    ; the host's callee-saved registers:
    push rbx                    ; nothing in the guest may see or keep them
    push r12
    push r13
    push r14
    push r15
    push r8                     ; [rsp+32]: where the host's FPU state goes
    push rcx                    ; [rsp+24]: the guest's FPU state
    push rdx                    ; [rsp+16]: host state area
    push rsi                    ; [rsp+8]:  where the guest's registers live
    push rdi                    ; [rsp]:    the VMCB

    clgi                        ; GIF=0: interrupts and NMIs held pending ...
    sti                         ; ... so IF=1 (which VMRUN saves as the host's
                                ; IF) takes effect only in the guest, as exits

    fxsave64 [r8]               ; the vm process's x87/SSE registers -> host_fpu
    fxrstor64 [rcx]             ; the guest's own

    mov rax, rdx
    vmsave                      ; host fs/gs/tr/ldtr/MSRs -> host state area
    mov rax, rdi
    vmload                      ; the guest's from its VMCB

    mov rbx, [rsi + GUEST_RBX]  ; the guest's registers; rsi last
    mov rcx, [rsi + GUEST_RCX]
    mov rdx, [rsi + GUEST_RDX]
    mov rdi, [rsi + GUEST_RDI]
    mov rbp, [rsi + GUEST_RBP]
    mov r8,  [rsi + GUEST_R8]
    mov r9,  [rsi + GUEST_R9]
    mov r10, [rsi + GUEST_R10]
    mov r11, [rsi + GUEST_R11]
    mov r12, [rsi + GUEST_R12]
    mov r13, [rsi + GUEST_R13]
    mov r14, [rsi + GUEST_R14]
    mov r15, [rsi + GUEST_R15]
    mov rsi, [rsi + GUEST_RSI]

    vmrun                       ; rax = the VMCB; runs the guest until #VMEXIT

    ; Back in the host: rip, rsp, rax (the VMCB again) restored, GIF=0.
    push rsi                    ; the guest's rsi, while rsi finds the save area
    mov rsi, [rsp + 16]
    mov [rsi + GUEST_RBX], rbx
    mov [rsi + GUEST_RCX], rcx
    mov [rsi + GUEST_RDX], rdx
    mov [rsi + GUEST_RDI], rdi
    mov [rsi + GUEST_RBP], rbp
    mov [rsi + GUEST_R8],  r8
    mov [rsi + GUEST_R9],  r9
    mov [rsi + GUEST_R10], r10
    mov [rsi + GUEST_R11], r11
    mov [rsi + GUEST_R12], r12
    mov [rsi + GUEST_R13], r13
    mov [rsi + GUEST_R14], r14
    mov [rsi + GUEST_R15], r15
    pop qword [rsi + GUEST_RSI]

    pop rax                     ; the VMCB
    vmsave                      ; the guest's fs/gs/tr/ldtr/MSRs -> its VMCB
    pop rsi                     ; (the register area: done with it)
    pop rax                     ; the host state area
    vmload                      ; the host's back: GS base is struct cpu again
    pop rax                     ; the guest's FPU area
    fxsave64 [rax]              ; the guest's x87/SSE registers, kept for next time
    pop rax                     ; the host's FPU area
    fxrstor64 [rax]             ; the vm process's own again, before GIF=1

    stgi                        ; a host interrupt that ended the guest is
    nop                         ; taken here (trap_dispatch, kernel mode)
    cli                         ; and the kernel's rule holds again

    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret
