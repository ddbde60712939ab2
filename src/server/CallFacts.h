#pragma once
// Help calls deleted by retention (issue 20): Privacy::PurgeBefore moves each call of a day
// before the retention mark to call_facts, keeping only what the calls report counts: store,
// rep, when it was asked (with the kiosk's zone, for its local day), received, acknowledged and
// closed, its outcome and misuse flag. The customer's rating, reason and language, the kiosk,
// the note and the staff names are gone. CallStore::List returns these facts beside the live
// calls when it is not asked for open calls only, as records with an empty kiosk id, so the calls
// report over an old period reads the same; the calls list and its CSV leave them out.

#include <string>

namespace fk::server {

// The schema step adding call_facts (SQLite 13, PostgreSQL 14).
std::string CallFactsMigration(bool postgres);

}  // namespace fk::server
