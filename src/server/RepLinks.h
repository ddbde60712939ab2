#pragma once
// Head office's links between rep ids of different stores (issue 18 item 6): the same person may
// work in several stores under ids each store chose, and two people may share an id in different
// stores. Reports key reps by (store, rep) and compare one person across stores only through these
// links: (store, rep) -> person, set with `kiosk-server link-rep`. Written once over the shared
// SQL runner (CallStoreSql.h); thread-safe when the runner is; database failures throw
// BackendError.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Clock.h"
#include "server/CallStoreSql.h"

namespace fk::server {

struct RepLink {
    std::string storeId;
    std::string repId;
    std::string person;  // head office's name for the person, the same in every store
};

class RepLinks {
  public:
    explicit RepLinks(std::unique_ptr<SqlRunner> runner);
    // Links (store, rep) to person, replacing an earlier link of that (store, rep).
    void Link(const RepLink& link, core::UtcMs now);
    // false: (store, rep) was not linked.
    bool Unlink(const std::string& storeId, const std::string& repId);
    // One store's links, or every store's (nullopt); by store, then rep.
    std::vector<RepLink> List(const std::optional<std::string>& storeId);

  private:
    std::unique_ptr<SqlRunner> m_runner;
};

// The part of the issue-18 schema step that adds rep_links (the same text on both backends).
std::string RepLinksMigration(bool postgres);

// A person's name for a link: 1..64 bytes of letters, digits, '.', '_' or '-' (it shows on the web
// page and in CSVs). False otherwise.
bool ValidPersonName(const std::string& name);

}  // namespace fk::server
