#include "storage/ResponseRow.h"

namespace fk::storage {

core::Response ReadResponseRow(const Statement& s) {
    core::Response r;
    auto id = core::Uuid::Parse(s.Text(0));
    if (!id)
        throw SqliteError(11 /* SQLITE_CORRUPT */, 11, "stored id is not a UUID: " + s.Text(0));
    r.id = *id;
    r.seq = s.Int(1);
    r.createdAtMs = s.Int(2);
    r.tzOffsetMin = static_cast<int>(s.Int(3));
    r.scale = static_cast<int>(s.Int(4));
    r.rating = static_cast<int>(s.Int(5));
    r.repId = s.OptText(6);
    r.reason = s.OptText(7);
    r.language = s.Text(8);
    r.misuse = s.OptText(9);
    r.closedAtMs = s.OptInt(10);
    if (auto reason = s.OptText(11))
        r.closeReason = core::CloseReasonFromString(*reason);
    r.syncState = core::SyncStateFromString(s.Text(12)).value_or(core::SyncState::Pending);
    r.syncError = s.OptText(13);
    if (auto help = s.OptText(14))
        r.help = core::HelpAnswerFromString(*help);
    if (auto first = s.OptInt(15))
        r.firstRating = static_cast<int>(*first);
    r.surveyVersion = s.OptInt(16);
    return r;
}

}  // namespace fk::storage
