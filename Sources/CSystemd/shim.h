// The real functions, not the macros that add the C caller's CODE_FILE/CODE_LINE:
// JournalLogHandler (SluiceSystemd) sends the Swift caller's location itself.
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>
