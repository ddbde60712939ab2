#pragma once
// Per-representative numbers that are fair to the rep: one definition, used by the kiosk's manager
// mode and the server's reports alike. Pure values and functions; thread-safe.
//
// Definitions (all over one rep's responses in a period, on one rating scale):
//   misuse        responses flagged by the misuse filter. Counted in their own column and left out
//                 of everything below.
//   all           every other response, by rating (RatingCounts).
//   notAboutRep   NEGATIVE responses whose reason is known to the ReasonPolicy and marked NOT
//                 attributable to the rep (wait time, price, stock...). Shown per rep as
//                 "not about the rep"; excluded from the rep's adjusted numbers.
//   againstRep    NEGATIVE responses whose reason is attributable to the rep.
//   negativeNoReason  NEGATIVE responses with no reason. They stay in the adjusted numbers: with
//                 no reason we cannot say the rep was not the cause.
//   unknownReason NEGATIVE responses whose reason the policy does not know (e.g. a reason removed
//                 from the survey). They stay in the adjusted numbers, like no reason.
//   adjusted      all minus notAboutRep, rating by rating. Positive and neutral responses are
//                 never removed, whatever reason they carry.
//   raw / fair    Summarize(all) and Summarize(adjusted) with the same minimum n, so "not enough
//                 data" applies to the adjusted count (removing responses can drop a rep below it).
// Identity: all.Total() == adjusted.Total() + notAboutRep
//           all negative == againstRep + negativeNoReason + unknownReason + notAboutRep.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Stats.h"

namespace fk::core {

// Which reason codes are about the rep. Built from the survey's reason list.
class ReasonPolicy {
  public:
    struct Reason {
        std::string code;
        bool attributableToRep = false;
    };
    ReasonPolicy() = default;
    explicit ReasonPolicy(std::vector<Reason> reasons);

    bool Knows(std::string_view code) const;
    // True only for a known reason marked not attributable.
    bool IsNotAboutRep(std::string_view code) const;
    bool IsAttributable(std::string_view code) const;
    const std::vector<Reason>& Reasons() const { return m_reasons; }

  private:
    const Reason* Find(std::string_view code) const;
    std::vector<Reason> m_reasons;
};

// The reason policy of each survey definition version, and the one in force (issue 17): a
// response taken under version v is judged by v's policy, so changing which reasons are about the
// rep does not recompute history. A response with no version (stored before responses recorded
// it, or taken under a kiosk's own kiosk.toml survey) or with a version whose policy is not known
// here is judged by the current policy, as all responses were before.
class PolicyHistory {
  public:
    PolicyHistory() = default;
    explicit PolicyHistory(ReasonPolicy current) : m_current(std::move(current)) {}

    // Version numbers are a store's (kiosk overrides share them); a second Add of one replaces it.
    void Add(std::int64_t version, ReasonPolicy policy);
    const ReasonPolicy& For(std::optional<std::int64_t> version) const;
    const ReasonPolicy& Current() const { return m_current; }
    const std::map<std::int64_t, ReasonPolicy>& Versions() const { return m_versions; }

  private:
    ReasonPolicy m_current;
    std::map<std::int64_t, ReasonPolicy> m_versions;
};

// Counts for one rep (or the whole store) in a period. Add one response at a time, or merge.
struct RepTally {
    explicit RepTally(RatingScale scale = RatingScale()) : all{scale}, notAboutRepCounts{scale} {}

    RatingCounts all;                // non-misuse responses by rating
    RatingCounts notAboutRepCounts;  // the negative, not-attributable ones, by rating
    std::int64_t misuse = 0;
    std::int64_t againstRep = 0;
    std::int64_t negativeNoReason = 0;
    std::int64_t unknownReason = 0;
    // Every reason given with a non-misuse response, by code (the reasons breakdown).
    std::map<std::string, std::int64_t, std::less<>> reasons;

    // A rating outside the scale is ignored (the store's CHECK makes that impossible).
    void Add(int rating, std::optional<std::string_view> reason, bool isMisuse,
             const ReasonPolicy& policy, std::int64_t count = 1);
    void Merge(const RepTally& other);

    std::int64_t NotAboutRep() const { return notAboutRepCounts.Total(); }
    RatingCounts Adjusted() const;
};

struct RepSummary {
    RatingSummary raw;   // Summarize(all)
    RatingSummary fair;  // Summarize(adjusted): the rep's numbers
    std::int64_t misuse = 0;
    std::int64_t notAboutRep = 0;
    std::int64_t againstRep = 0;
    std::int64_t negativeNoReason = 0;
    std::int64_t unknownReason = 0;
};

RepSummary SummarizeRep(const RepTally& tally, std::int64_t minResponses);

}  // namespace fk::core
