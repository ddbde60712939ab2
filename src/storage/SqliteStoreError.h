#pragma once
// Internal to the storage module: the one mapping of a SQLite failure to a StoreError (kind + words
// staff can act on), used by the response store and the dashboard. Pure apart from looking at the
// disk's free space and the process's file size limit after an I/O error; any thread.

#include <filesystem>
#include <string_view>

#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"

namespace fk::storage {

// action: what was being done ("open the dashboard"), the message's first words.
StoreError StoreErrorFromSqlite(const SqliteError& e, const std::filesystem::path& dbPath,
                                std::string_view action);

// f(), with a SqliteError it throws turned into that StoreError.
template <typename F>
auto WithStoreErrors(const std::filesystem::path& dbPath, std::string_view action, F&& f)
    -> decltype(f()) {
    try {
        return f();
    } catch (const SqliteError& e) {
        throw StoreErrorFromSqlite(e, dbPath, action);
    }
}

}  // namespace fk::storage
