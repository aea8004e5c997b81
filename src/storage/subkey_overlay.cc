#include "storage/subkey_overlay.h"

namespace strata::storage {

void SubKeyOverlay::Record(uint8_t cf, std::string_view key, size_t prefix_len,
                           const std::string_view* value, uint64_t ticket) {
  if (value != nullptr) WidenHints(cf, key, prefix_len);
  std::string tagged = Tagged(cf, key);
  Change& c = changes_[tagged];
  c.ticket = ticket;
  c.deleted = value == nullptr;
  c.value.assign(value ? *value : std::string_view());
  open_.push_back(std::move(tagged));
}

SubKeyOverlay::Found SubKeyOverlay::Get(uint8_t cf, std::string_view key,
                                        std::string* value) const {
  if (changes_.empty()) return Found::kNothing;
  auto it = changes_.find(Tagged(cf, key));
  if (it == changes_.end()) return Found::kNothing;
  if (it->second.deleted) return Found::kDeleted;
  *value = it->second.value;
  return Found::kValue;
}

std::vector<SubIterator::Pending> SubKeyOverlay::Range(uint8_t cf, std::string_view lo,
                                                       std::string_view hi) const {
  std::vector<SubIterator::Pending> out;
  if (changes_.empty()) return out;
  const std::string tagged_hi = Tagged(cf, hi);
  for (auto it = changes_.lower_bound(Tagged(cf, lo)); it != changes_.end() && it->first < tagged_hi;
       ++it) {
    SubIterator::Pending p;
    p.key = it->first.substr(1);
    if (!it->second.deleted) p.value = it->second.value;
    out.push_back(std::move(p));
  }
  return out;
}

void SubKeyOverlay::Settle(uint64_t ticket) {
  for (const std::string& k : in_flight_) {
    auto it = changes_.find(k);
    if (it != changes_.end() && it->second.ticket <= ticket) changes_.erase(it);
  }
  in_flight_.clear();
}

void SubKeyOverlay::Clear() {
  changes_.clear();
  open_.clear();
  in_flight_.clear();
  hints_.clear();
}

std::shared_ptr<SeekHints> SubKeyOverlay::HintsFor(uint8_t cf, std::string_view prefix) {
  if (hints_.size() > kMaxHints) hints_.clear();
  std::shared_ptr<SeekHints>& hints = hints_[Tagged(cf, prefix)];
  if (!hints) hints = std::make_shared<SeekHints>();
  return hints;
}

void SubKeyOverlay::WidenKnownHints(uint8_t cf, std::string_view key, size_t prefix_len) {
  auto it = hints_.find(Tagged(cf, key.substr(0, prefix_len)));
  if (it == hints_.end()) return;
  SeekHints& h = *it->second;
  if (!h.lo.empty() && key < h.lo) h.lo = std::string(key);
  if (!h.hi.empty() && key > h.hi) h.hi = std::string(key);
}

}  // namespace strata::storage
