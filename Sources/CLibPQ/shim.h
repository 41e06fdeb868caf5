#ifndef COSTREPLAY_CLIBPQ_SHIM_H
#define COSTREPLAY_CLIBPQ_SHIM_H
/* PostgreSQL's C client (Debian libpq-dev): reads LiteLLM's SpendLogs table. */
#include <libpq-fe.h>
#endif
