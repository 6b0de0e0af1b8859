/*
 * false — does nothing and fails: exit status 1.
 *
 * The counterpart of true, so a test can see a nonzero status travel from
 * exit() through the kernel to the parent's waitpid(). OSTEP ch. 5.
 */

int main(void)
{
    return 1;
}
