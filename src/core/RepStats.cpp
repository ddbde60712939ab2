#include "core/RepStats.h"

#include <algorithm>

namespace fk::core {

ReasonPolicy::ReasonPolicy(std::vector<Reason> reasons) : m_reasons(std::move(reasons)) {}

const ReasonPolicy::Reason* ReasonPolicy::Find(std::string_view code) const {
    auto it = std::find_if(m_reasons.begin(), m_reasons.end(),
                           [&](const Reason& r) { return r.code == code; });
    return it == m_reasons.end() ? nullptr : &*it;
}

bool ReasonPolicy::Knows(std::string_view code) const {
    return Find(code) != nullptr;
}

bool ReasonPolicy::IsNotAboutRep(std::string_view code) const {
    const Reason* r = Find(code);
    return r != nullptr && !r->attributableToRep;
}

bool ReasonPolicy::IsAttributable(std::string_view code) const {
    const Reason* r = Find(code);
    return r != nullptr && r->attributableToRep;
}

void PolicyHistory::Add(std::int64_t version, ReasonPolicy policy) {
    m_versions.insert_or_assign(version, std::move(policy));
}

const ReasonPolicy& PolicyHistory::For(std::optional<std::int64_t> version) const {
    if (!version)
        return m_current;
    auto it = m_versions.find(*version);
    return it == m_versions.end() ? m_current : it->second;
}

void RepTally::Add(int rating, std::optional<std::string_view> reason, bool isMisuse,
                   const ReasonPolicy& policy, std::int64_t count) {
    if (!all.scale.Contains(rating))
        return;
    if (isMisuse) {
        misuse += count;
        return;
    }
    all.Add(rating, count);
    if (reason) {
        auto it = reasons.find(*reason);
        if (it == reasons.end())
            reasons.emplace(std::string(*reason), count);
        else
            it->second += count;
    }
    if (SentimentOf(all.scale, rating) != Sentiment::Negative)
        return;
    if (!reason)
        negativeNoReason += count;
    else if (policy.IsNotAboutRep(*reason))
        notAboutRepCounts.Add(rating, count);
    else if (policy.IsAttributable(*reason))
        againstRep += count;
    else
        unknownReason += count;
}

void RepTally::Merge(const RepTally& other) {
    for (int r = 1; r <= all.scale.Points(); ++r) {
        const auto i = static_cast<std::size_t>(r - 1);
        all.byRating[i] += other.all.byRating[i];
        notAboutRepCounts.byRating[i] += other.notAboutRepCounts.byRating[i];
    }
    misuse += other.misuse;
    againstRep += other.againstRep;
    negativeNoReason += other.negativeNoReason;
    unknownReason += other.unknownReason;
    for (const auto& [code, n] : other.reasons)
        reasons[code] += n;
}

RatingCounts RepTally::Adjusted() const {
    RatingCounts adjusted{all.scale};
    for (int r = 1; r <= all.scale.Points(); ++r) {
        const auto i = static_cast<std::size_t>(r - 1);
        adjusted.byRating[i] = all.byRating[i] - notAboutRepCounts.byRating[i];
    }
    return adjusted;
}

RepSummary SummarizeRep(const RepTally& tally, std::int64_t minResponses) {
    RepSummary s;
    s.raw = Summarize(tally.all, minResponses);
    s.fair = Summarize(tally.Adjusted(), minResponses);
    s.misuse = tally.misuse;
    s.notAboutRep = tally.NotAboutRep();
    s.againstRep = tally.againstRep;
    s.negativeNoReason = tally.negativeNoReason;
    s.unknownReason = tally.unknownReason;
    return s;
}

}  // namespace fk::core
