#include "ui/ManagerStrings.h"

#include <cstdint>

namespace fk::ui {

const std::vector<ManagerStringDefault>& ManagerStringDefaults() {
    static const std::vector<ManagerStringDefault> kDefaults = {
        {"manager.title", "Manager mode"},
        {"manager.exit", "Exit"},
        {"manager.today", "Today"},
        {"manager.last_7_days", "Last 7 days"},
        {"manager.last_30_days", "Last 30 days"},
        {"manager.period.custom", "Custom"},
        {"manager.screen.closes_in", "Closes in {seconds} s"},
        {"manager.period.range", "{first} to {last} ({days} days)"},
        {"manager.tab.reps", "Reps"},
        {"manager.tab.store", "Store"},
        {"manager.tab.sync", "Sync"},
        {"manager.tab.roster", "Roster"},
        {"manager.tab.export", "Export"},
        {"manager.tab.calls", "Help calls"},
        {"manager.calls.not_configured",
         "This kiosk does not sync with a server, so it cannot show help calls."},
        {"manager.calls.refresh", "Refresh"},
        {"manager.calls.loading", "Asking the server…"},
        {"manager.calls.listed", "Updated {age} ago"},
        {"manager.calls.error", "Could not update: {error}"},
        {"manager.calls.none", "No customer is waiting for help at this store."},
        {"manager.calls.report",
         "{period}: {calls} calls at this store, {acknowledged} acknowledged (half within {p50}, "
         "90% within {p90}), {helped} of {closed} closed as helped, {overdue} overdue now"},
        {"manager.calls.report_none", "{period}: no help calls at this store"},
        {"manager.calls.summary", "Rating {rating} of {scale} at till {kiosk}, {age} ago"},
        {"manager.calls.summary_here", "Rating {rating} of {scale} at this till, {age} ago"},
        {"manager.calls.rep", "Served by {name}"},
        {"manager.calls.reason", "Reason: {reason}"},
        {"manager.calls.repeats", "Asked {count} more times"},
        {"manager.calls.late",
         "The kiosk could not reach the server in time and asked the customer to go to the "
         "counter."},
        {"manager.calls.open", "Nobody is on the way yet"},
        {"manager.calls.overdue", "Waiting too long: head office has been alerted"},
        {"manager.calls.acknowledged", "{name} is on the way"},
        {"manager.calls.ack", "I'm going"},
        {"manager.calls.close.helped", "Helped"},
        {"manager.calls.close.refund_or_replacement", "Refund or replacement"},
        {"manager.calls.close.customer_left", "Customer had left"},
        {"manager.calls.close.other", "Other"},
        {"manager.calls.by", "Manager mode at till {kiosk}"},
        {"manager.col.rep", "Representative"},
        {"manager.col.responses", "Responses"},
        {"manager.col.distribution", "Ratings"},
        {"manager.col.satisfaction", "Satisfied"},
        {"manager.col.score", "Score"},
        {"manager.col.wilson", "At least (95%)"},
        {"manager.col.not_about_rep", "Not about the rep"},
        {"manager.col.against_rep", "About the rep"},
        {"manager.col.misuse", "Misuse"},
        {"manager.table.not_enough_data", "Not enough data (n < {min})"},
        {"manager.table.no_rep", "No rep chosen"},
        {"manager.table.no_reps", "No responses in this period"},
        {"manager.table.rep_detail",
         "{all} responses, {removed} not about the rep left out: 95% sure at least {lower}% are "
         "satisfied "
         "(measured {sat}% of {n})"},
        {"manager.table.hint",
         "Tap a rep for details. Dark bar: satisfied, 95% sure. Light bar: measured, not yet "
         "sure."},
        {"manager.store.totals", "This till, every response"},
        {"manager.store.totals_adjusted",
         "This till, rep-adjusted (complaints not about the rep left out)"},
        {"manager.alert.banner",
         "{negative} of {responses} responses negative in the last {minutes} min"},
        {"manager.alert.store_banner",
         "Whole store, all tills: {negative} of {responses} responses negative in the last "
         "{minutes} min (server, {age} ago)"},
        {"manager.store.responses", "Responses"},
        {"manager.store.satisfaction", "Satisfied"},
        {"manager.store.score", "Score"},
        {"manager.store.wilson", "At least (95%)"},
        {"manager.store.not_about_rep", "Not about reps"},
        {"manager.store.misuse", "Misuse left out"},
        {"manager.store.trend", "Satisfied per day (%)"},
        {"manager.store.trend_note", "Hollow: fewer than {min} responses that day"},
        {"manager.store.heat_score", "Score by weekday and hour"},
        {"manager.store.heat_volume", "Responses by weekday and hour"},
        {"manager.store.reasons", "Reasons given"},
        {"manager.store.no_reasons", "No reasons given in this period"},
        {"manager.reason.about_rep", "about the rep"},
        {"manager.reason.not_about_rep", "not about the rep"},
        {"manager.reason.unknown", "not in the survey"},
        {"manager.day.1", "Mon"},
        {"manager.day.2", "Tue"},
        {"manager.day.3", "Wed"},
        {"manager.day.4", "Thu"},
        {"manager.day.5", "Fri"},
        {"manager.day.6", "Sat"},
        {"manager.day.7", "Sun"},
        {"manager.sync.not_configured", "This kiosk does not sync: no server is configured."},
        {"manager.sync.phase", "Sync: {phase}"},
        {"manager.sync.pending", "Waiting to send: {count}"},
        {"manager.sync.oldest", "Oldest waiting: {age}"},
        {"manager.sync.last_success", "Last sent: {age} ago"},
        {"manager.sync.never", "Last sent: never"},
        {"manager.sync.last_error", "Last error: {error}"},
        {"manager.sync.ok", "The last attempt worked."},
        {"manager.sync.acked", "The server has everything up to #{seq}."},
        {"manager.sync.acked_unknown", "The server has not confirmed any response yet."},
        {"manager.sync.survey_version", "Survey version: {version}"},
        {"manager.sync.survey_local",
         "Survey: this kiosk's own settings (no version from the server yet)"},
        {"manager.sync.survey_stale",
         "Not checked with the server for a newer survey for over an hour."},
        {"manager.sync.rejected", "Rejected by the server: {count}"},
        {"manager.sync.tls_off",
         "Warning: server certificate checks are OFF. Others on the network could read or change "
         "what this "
         "kiosk sends."},
        {"manager.roster.sign_in", "Sign in"},
        {"manager.roster.sign_out", "Sign out"},
        {"manager.roster.signed_in", "Signed in at this kiosk: {name}"},
        {"manager.roster.nobody", "Nobody is signed in at this kiosk."},
        {"manager.roster.active", "Shown"},
        {"manager.roster.inactive", "Hidden"},
        {"manager.roster.from_server",
         "The server sent this list: changes made here are replaced at the next sync."},
        {"manager.roster.local", "Changes made here stay on this kiosk."},
        {"manager.roster.off", "This kiosk does not ask who helped."},
        {"manager.roster.empty", "No representatives configured."},
        {"manager.export.intro",
         "Save the responses and the rep table for {period} as CSV files to:"},
        {"manager.export.none", "No place to save to. Insert a USB stick."},
        {"manager.export.running", "Exporting"},
        {"manager.export.failed", "Export failed: {message}"},
        {"manager.export.exists",
         "{file} is already on the stick. Nothing was overwritten: move or rename that file on a "
         "computer, then export again."},
        {"manager.sync.recovered",
         "Damaged store set aside: {salvaged} responses salvaged, {lost} lost"},
        {"manager.sync.lost_unreported", "{count} lost responses not yet reported to the server"},
        {"manager.sync.lost_reported", "The lost responses were reported to the server"},
        {"manager.sync.resent", "Sent again after the server lost them: {count}"},
        {"manager.sync.calls_waiting", "Calls for help waiting to send: {count}"},
        {"manager.sync.state.not_configured", "not configured"},
        {"manager.sync.state.idle", "idle"},
        {"manager.sync.state.sending", "sending"},
        {"manager.sync.state.retrying", "retrying"},
        {"manager.sync.state.stopped", "stopped: needs staff"},
        {"manager.age.seconds", "{n} s"},
        {"manager.age.minutes", "{n} min"},
        {"manager.age.hours", "{n} h"},
        {"manager.age.days", "{n} d"},
        {"manager.period_error.end_before_start",
         "The end date {last} is before the start date {first}: pick an end on or after the start"},
        {"manager.period_error.too_long",
         "The range {first} to {last} is longer than {days} days: pick a shorter one"},
        {"manager.period_error.store_unreadable", "The feedback store cannot be read yet."},
        {"manager.period_error.unreadable", "The numbers could not be read: {error}"},
        {"manager.export.starting", "Starting the export…"},
        {"manager.export.progress", "{done} of {total} rows"},
        {"manager.export.written", "Written to {place}: {reps} and {responses} ({rows} responses)"},
        {"manager.export.place_not_listed", "Choose one of the listed export places."},
        {"manager.export.place_unusable",
         "{place} cannot be used. Is the USB stick still plugged in?"},
        {"manager.export.place_not_folder", "{place} is not a folder."},
        {"manager.export.place_outside",
         "{place} is outside the places exports may go (USB sticks under /media or /run/media, or "
         "the configured [manager] export_dir)."},
    };
    return kDefaults;
}

std::string ManagerText(const ManagerStringMap& strings, std::string_view key,
                        const std::vector<std::pair<std::string_view, std::string>>& values) {
    std::string_view text = key;
    if (auto it = strings.find(key); it != strings.end() && !it->second.empty()) {
        text = it->second;
    } else {
        for (const auto& d : ManagerStringDefaults()) {
            if (d.key == key) {
                text = d.english;
                break;
            }
        }
    }
    if (values.empty())
        return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find('{', pos);
        if (open == std::string_view::npos)
            break;
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos)
            break;
        out.append(text.substr(pos, open - pos));
        const std::string_view name = text.substr(open + 1, close - open - 1);
        bool found = false;
        for (const auto& [k, v] : values) {
            if (k == name) {
                out += v;
                found = true;
                break;
            }
        }
        if (!found)
            out.append(text.substr(open, close - open + 1));
        pos = close + 1;
    }
    out.append(text.substr(pos));
    return out;
}

std::string FormatAge(const ManagerStringMap& strings, std::int64_t seconds) {
    if (seconds < 0)
        seconds = 0;
    if (seconds < 120)
        return ManagerText(strings, "manager.age.seconds", {{"n", std::to_string(seconds)}});
    if (seconds < 2 * 3600)
        return ManagerText(strings, "manager.age.minutes", {{"n", std::to_string(seconds / 60)}});
    if (seconds < 2 * 86400)
        return ManagerText(strings, "manager.age.hours", {{"n", std::to_string(seconds / 3600)}});
    return ManagerText(strings, "manager.age.days", {{"n", std::to_string(seconds / 86400)}});
}

}  // namespace fk::ui
