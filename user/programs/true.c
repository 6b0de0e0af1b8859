/*
 * true — does nothing and succeeds: exit status 0.
 *
 * Useful to the shell's tests and to a student watching fork, exec, exit and
 * waitpid happen with nothing else in the way. OSTEP ch. 5 (Process API).
 */

int main(void)
{
    return 0;
}
