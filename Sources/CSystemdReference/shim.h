// Debian's libsystemd, for the tests that compare sluice's own implementation of
// systemd's protocols with the reference. The product never links it.
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
