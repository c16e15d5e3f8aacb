#ifndef CLINPIPE_CSQLITE_SHIM_H
#define CLINPIPE_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
