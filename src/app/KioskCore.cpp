#include "app/KioskCore.h"

#include <algorithm>
#include <deque>

#include <spdlog/spdlog.h>

namespace fk::app {

ui::StaffNotice NoticeFor(storage::StoreErrorKind kind, const std::string& detail) {
    ui::StaffNotice n;
    n.title = "Feedback is paused";
    switch (kind) {
        case storage::StoreErrorKind::DiskFull:
            n.message =
                "The kiosk's disk is full. Free some space; ratings already given are safe.";
            break;
        case storage::StoreErrorKind::ReadOnly:
            n.message = "The kiosk cannot write its data folder. Check its permissions or mount.";
            break;
        case storage::StoreErrorKind::Corrupt:
            n.message =
                "The feedback file is damaged. Restart the kiosk: it sets the file aside and "
                "starts afresh.";
            break;
        default:
            n.message = "The feedback store failed: " + detail;
            break;
    }
    return n;
}

KioskCore::KioskCore(KioskSettings settings, const core::Clock& clock,
                     std::filesystem::path dataDir)
    : m_settings(std::move(settings)),
      m_clock(clock),
      m_dataDir(std::move(dataDir)),
      m_session(m_settings.session, clock) {
    if (m_settings.onDutyRep)
        m_session.Handle(core::ev::SetOnDutyRep{m_settings.onDutyRep});
    if (m_settings.dpi > 0)
        m_dpi = m_settings.dpi;
    OpenStore();
}

KioskCore::~KioskCore() = default;

void KioskCore::RecordPolicy() {
    if (m_settings.surveyVersion < 1 || !m_store)
        return;
    try {
        m_store->RecordPolicy(m_settings.surveyVersion,
                              core::ReasonPolicy(m_settings.manager.reasonPolicy));
    } catch (const storage::StoreError& e) {
        // Manager mode then judges this version's responses by the current policy; the
        // server's reports are unaffected.
        spdlog::error("could not keep the reason policy of survey version {}: {}",
                      m_settings.surveyVersion, e.what());
    }
}

void KioskCore::OpenStore() {
    try {
        storage::OpenReport report;
        m_store = storage::ResponseStore::Open(m_dataDir, m_clock, &report);
        if (m_checkpointsElsewhere)
            m_store->SetAutoCheckpoint(false);
        if (report.closedOnOpen > 0) {
            spdlog::info("closed {} response(s) left open by an earlier run", report.closedOnOpen);
        }
        SeedMisuse();
        SeedRecentReps();
        RecordPolicy();
        if (report.corruptFileSetAside) {
            spdlog::warn("damaged store set aside as {} ({}); started a fresh one",
                         report.setAsidePath.string(), report.problem);
            m_notice = ui::StaffNotice{
                "Feedback store was repaired",
                "A damaged feedback file was set aside for support; a fresh one was started."};
            if (auto it = m_settings.notices.find(NoticeKind::SetAside);
                it != m_settings.notices.end()) {
                m_notice = it->second;
            }
            m_noticeUntilMs = m_clock.SteadyMs() + 10'000;
        }
    } catch (const storage::StoreError& e) {
        spdlog::error("cannot open the feedback store in {}: {}", m_dataDir.string(), e.what());
        ShowStorageProblem(e.Kind(), e.what());
    }
}

void KioskCore::SeedMisuse() {
    // A restart must not reset the misuse rules: the last few ratings and closes come from disk.
    const auto& rules = m_session.Settings().misuse;
    std::deque<core::UtcMs> ratings;
    std::optional<core::UtcMs> lastClosed;
    const std::int64_t from =
        std::max<std::int64_t>(0, m_store->MaxSeq() - std::max(rules.maxPerWindow, 1));
    m_store->ForEach(
        [&](const core::Response& r) {
            ratings.push_back(r.createdAtMs);
            if (r.closedAtMs && (!lastClosed || *r.closedAtMs > *lastClosed))
                lastClosed = r.closedAtMs;
            return true;
        },
        from);
    m_session.Misuse().Seed(ratings, lastClosed);
}

void KioskCore::SeedRecentReps() {
    // The picker's "recently chosen here" survives a restart: the last reps from disk.
    constexpr std::int64_t kLook = 64;
    std::vector<std::string> chosen;  // oldest first
    m_store->ForEach(
        [&](const core::Response& r) {
            if (r.repId && !r.repId->empty())
                chosen.push_back(*r.repId);
            return true;
        },
        std::max<std::int64_t>(0, m_store->MaxSeq() - kLook));
    for (const auto& id : chosen)
        m_recentReps.Chosen(id);
}

void KioskCore::ShowStorageProblem(storage::StoreErrorKind kind, const std::string& detail) {
    m_notice = NoticeFor(kind, detail);
    std::optional<NoticeKind> notice;
    switch (kind) {
        case storage::StoreErrorKind::DiskFull:
            notice = NoticeKind::DiskFull;
            break;
        case storage::StoreErrorKind::ReadOnly:
            notice = NoticeKind::ReadOnly;
            break;
        // Nothing has been set aside yet: the set-aside words would say what has not happened.
        case storage::StoreErrorKind::Corrupt:
            notice = NoticeKind::Damaged;
            break;
        default:
            break;
    }
    if (notice) {
        if (auto it = m_settings.notices.find(*notice); it != m_settings.notices.end())
            m_notice = it->second;
    }
    m_noticeUntilMs = m_clock.SteadyMs() + kNoticeRetryMs;
    // The customer's flow cannot amend a row that was not stored; start over when storage is back.
    m_session.Abandon();
    m_current.reset();
}

void KioskCore::Apply(const std::vector<core::SessionEffect>& effects) {
    for (const auto& effect : effects) {
        try {
            if (!m_store)
                throw storage::StoreError(storage::StoreErrorKind::Other, "the store is not open");
            std::visit(
                [&](const auto& e) {
                    using E = std::decay_t<decltype(e)>;
                    if constexpr (std::is_same_v<E, core::fx::BeginResponse>) {
                        storage::BeginRequest req;
                        req.scale = e.scale;
                        req.rating = e.rating;
                        req.language = e.language;
                        req.repId = e.repId;
                        req.misuse = e.misuse;
                        if (m_settings.surveyVersion > 0)
                            req.surveyVersion = m_settings.surveyVersion;
                        m_current = m_store->Begin(req).id;
                    } else if constexpr (std::is_same_v<E, core::fx::CorrectRating>) {
                        if (m_current)
                            m_store->CorrectRating(*m_current, e.rating);
                    } else if constexpr (std::is_same_v<E, core::fx::SetRep>) {
                        if (m_current)
                            m_store->SetRep(*m_current, e.repId);
                        m_recentReps.Chosen(e.repId);
                    } else if constexpr (std::is_same_v<E, core::fx::SetReason>) {
                        if (m_current)
                            m_store->SetReason(*m_current, e.code);
                    } else if constexpr (std::is_same_v<E, core::fx::SetHelp>) {
                        if (m_current) {
                            m_store->SetHelp(*m_current, e.answer);
                            if (e.answer == core::HelpAnswer::Yes) {
                                m_call = m_current;
                                m_effects.callQueued = true;
                            }
                        }
                    } else if constexpr (std::is_same_v<E, core::fx::SetLanguage>) {
                        if (m_current)
                            m_store->SetLanguage(*m_current, e.code);
                    } else if constexpr (std::is_same_v<E, core::fx::CloseResponse>) {
                        if (m_current) {
                            m_store->Close(*m_current, e.reason);
                            m_effects.responseClosed = true;
                        }
                        m_current.reset();
                    }
                },
                effect);
        } catch (const storage::StoreError& e) {
            spdlog::error("storage failed on {}: {} ({})", core::to_string(effect), e.what(),
                          storage::to_string(e.Kind()));
            ShowStorageProblem(e.Kind(), e.what());
            return;
        }
    }
}

bool KioskCore::Tick() {
    const std::int64_t now = m_clock.SteadyMs();
    if (m_notice && now >= m_noticeUntilMs) {
        m_notice.reset();
        if (!m_store)
            OpenStore();
    }
    const bool open = m_settings.hours.IsOpen(m_clock);
    if (m_wasOpen && !open && m_session.OnDutyRep()) {
        // Closing time signs the rep out: a forgotten sign-out must not credit them tomorrow.
        const core::UtcMs utc = m_clock.NowUtcMs();
        if (m_settings.hours.ClosedForLongerThan(utc, m_clock.TzOffsetMinutes(utc),
                                                 kLongestBreakMs)) {
            spdlog::info("closing time: on-duty rep {} signed out", *m_session.OnDutyRep());
            Apply(m_session.Handle(core::ev::SetOnDutyRep{std::nullopt}));
            m_effects.signedOut = true;
        }
    }
    m_wasOpen = open;
    if (!m_paused) {
        Apply(m_session.Handle(core::ev::SetOpen{open}));
        Apply(m_session.Handle(core::ev::Tick{now}));
    }
    bool rosterChanged = false;
    const core::Step step = m_session.CurrentStep();
    if (m_pendingSurvey && (step == core::Step::Rate || step == core::Step::Closed)) {
        KioskSettings& n = *m_pendingSurvey;
        m_settings.session = std::move(n.session);
        m_settings.reps = std::move(n.reps);
        m_settings.roster = std::move(n.roster);
        m_settings.reasons = std::move(n.reasons);
        m_settings.languages = std::move(n.languages);
        m_settings.strings = std::move(n.strings);
        m_settings.reasonLabels = std::move(n.reasonLabels);
        m_settings.question = std::move(n.question);
        m_settings.hours = std::move(n.hours);
        m_settings.escalateAfterS = n.escalateAfterS;
        m_settings.manager.alert = n.manager.alert;
        m_settings.manager.reasonPolicy = std::move(n.manager.reasonPolicy);
        m_settings.surveyVersion = n.surveyVersion;
        m_pendingSurvey.reset();
        RecordPolicy();
        m_pendingReps.reset();
        m_repOrder.reset();
        rosterChanged = true;
        spdlog::info("survey definition version {} in force ({} faces, {} reason(s), {} rep(s))",
                     m_settings.surveyVersion, m_settings.session.scale.Points(),
                     m_settings.reasons.size(), m_settings.reps.size());
    }
    if (m_pendingReps && (step == core::Step::Rate || step == core::Step::Closed)) {
        m_settings.reps = std::move(*m_pendingReps);
        m_pendingReps.reset();
        m_repOrder.reset();
        rosterChanged = true;
    }
    Shown shown = CurrentShown();
    const bool changed = rosterChanged || shown != m_lastShown;
    m_lastShown = std::move(shown);
    return changed;
}

KioskCore::Shown KioskCore::CurrentShown() const {
    return Shown{m_session.CurrentStep(), m_session.Language(),  m_session.Call(), m_notice,
                 m_session.UndoOffered(), m_session.Accessible()};
}

void KioskCore::CallsConfirmed(const std::vector<core::Uuid>& responseIds) {
    if (!m_call || std::find(responseIds.begin(), responseIds.end(), *m_call) == responseIds.end())
        return;
    m_call.reset();
    Apply(m_session.Handle(core::ev::CallConfirmed{}));
}

void KioskCore::LeaveCheckpointsToSync() {
    m_checkpointsElsewhere = true;
    if (m_store)
        m_store->SetAutoCheckpoint(false);
}

void KioskCore::ApplyRoster(const std::vector<ui::RepTile>& activeReps) {
    m_pendingReps = activeReps;
    core::SessionSettings session = m_session.Settings();
    session.repIds.clear();
    for (const auto& rep : activeReps)
        session.repIds.push_back(rep.id);
    m_settings.session.repIds = session.repIds;
    m_session.ApplySettings(std::move(session));
    spdlog::info("roster: {} active rep(s)", activeReps.size());
}

void KioskCore::ApplySurvey(KioskSettings next) {
    // The session defers it the same way (until Rate or Closed); on-duty stays this kiosk's own.
    m_session.ApplySettings(next.session);
    m_pendingSurvey = std::move(next);
}

void KioskCore::SetOnDutyRep(std::optional<std::string> repId) {
    Apply(m_session.Handle(core::ev::SetOnDutyRep{std::move(repId)}));
}

void KioskCore::SetPaused(bool paused) {
    m_paused = paused;
}

ui::KioskView KioskCore::View() const {
    ui::KioskView v;
    v.step = m_session.CurrentStep();
    v.points = m_session.Settings().scale.Points();
    // The picker's order: on duty, then recently chosen here, then by name in the customer's
    // language. Sorted again only when one of those changes, not every frame.
    std::vector<std::string> first;
    if (m_session.OnDutyRep())
        first.push_back(*m_session.OnDutyRep());
    for (const auto& id : m_recentReps.Ids())
        first.push_back(id);
    const std::string& language = m_session.Language();
    if (!m_repOrder || m_repOrder->language != language || m_repOrder->first != first) {
        m_repOrder = RepOrderCache{language, first, OrderReps(m_settings.reps, language, first)};
    }
    v.reps = m_repOrder->order.reps;
    v.repInitials = m_repOrder->order.initials;
    v.reasons = m_settings.ReasonsFor(m_session.Language());
    if (m_settings.languages.size() > 1)
        v.languages = m_settings.languages;
    v.language = m_session.Language();
    v.rating = m_session.CurrentRating();
    if (m_session.Settings().repMode == core::RepMode::OnDuty && m_session.OnDutyRep()) {
        v.servedBy = *m_session.OnDutyRep();
        for (const auto& rep : m_settings.reps) {
            if (rep.id == *m_session.OnDutyRep())
                v.servedBy = rep.name;
        }
    }
    v.call = m_session.Call();
    v.strings = m_settings.StringsFor(v.language);
    v.notice = m_notice;
    v.dpi = m_dpi;
    v.listen = m_settings.soundEnabled;
    v.undo = m_session.UndoOffered();
    v.accessible = m_session.Accessible();
    v.nowMs = m_clock.SteadyMs();
    return v;
}

void KioskCore::Handle(const std::vector<ui::UiAction>& actions) {
    for (const auto& action : actions) {
        spdlog::debug("tap: {}", ui::to_string(action));
        Apply(m_session.Handle(ui::ToSessionEvent(action)));
    }
    m_lastShown = CurrentShown();
}

void KioskCore::Touched() {
    Apply(m_session.Handle(core::ev::Touch{}));
}

std::optional<std::int64_t> KioskCore::NextDeadlineMs() const {
    std::optional<std::int64_t> d = m_paused ? std::nullopt : m_session.NextDeadlineMs();
    if (m_notice && (!d || m_noticeUntilMs < *d))
        d = m_noticeUntilMs;
    return d;
}

}  // namespace fk::app
