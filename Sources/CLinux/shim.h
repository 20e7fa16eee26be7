#include <unistd.h>
#include <sys/syscall.h>

// Linux system calls that Swift's Glibc module does not offer: glibc declares
// memfd_create(2) only under _GNU_SOURCE, and syscall(2) is variadic, which Swift cannot
// call. Calling the system call by number also works with a C library that lacks the
// wrapper. Returns the descriptor, or -1 with errno set.
static inline int sluice_memfd_create(const char *name, unsigned int flags) {
    return (int)syscall(SYS_memfd_create, name, flags);
}
