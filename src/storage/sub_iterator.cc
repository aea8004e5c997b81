#include "storage/sub_iterator.h"

#include <algorithm>

namespace strata::storage {

SubIterator::SubIterator(std::string prefix, std::unique_ptr<rocksdb::Iterator> base,
                         std::vector<Pending> pending, std::shared_ptr<SeekHints> hints)
    : prefix_(std::move(prefix)),
      base_(std::move(base)),
      pending_(std::move(pending)),
      hints_(std::move(hints)) {}

int64_t SubIterator::LowerBound(std::string_view key) const {
  auto it = std::lower_bound(pending_.begin(), pending_.end(), key,
                             [](const Pending& p, std::string_view k) { return p.key < k; });
  return it - pending_.begin();
}

int64_t SubIterator::UpperBound(std::string_view key) const {
  auto it = std::upper_bound(pending_.begin(), pending_.end(), key,
                             [](std::string_view k, const Pending& p) { return k < p.key; });
  return it - pending_.begin();
}

void SubIterator::Seek(std::string_view sub) {
  std::string target = prefix_;
  target.append(sub);
  base_->Seek(target);
  pi_ = LowerBound(target);
  forward_ = true;
  FindNextVisible();
}

void SubIterator::SeekToFirst() {
  if (hints_ && !hints_->lo.empty()) {
    Seek(std::string_view(hints_->lo).substr(prefix_.size()));
  } else {
    Seek("");
  }
  if (hints_) hints_->lo = Valid() ? std::string(key()) : std::string();
}

void SubIterator::SeekToLast() {
  if (hints_ && !hints_->hi.empty()) {
    SeekForPrev(std::string_view(hints_->hi).substr(prefix_.size()));
  } else {
    base_->SeekToLast();
    pi_ = static_cast<int64_t>(pending_.size()) - 1;
    forward_ = false;
    FindPrevVisible();
  }
  if (hints_) hints_->hi = Valid() ? std::string(key()) : std::string();
}

void SubIterator::SeekForPrev(std::string_view sub) {
  std::string target = prefix_;
  target.append(sub);
  base_->SeekForPrev(target);
  pi_ = UpperBound(target) - 1;
  forward_ = false;
  FindPrevVisible();
}

void SubIterator::FindNextVisible() {
  while (true) {
    bool bv = base_->Valid();
    bool pv = PendingValid();
    if (!bv && !pv) {
      current_ = Source::kNone;
      return;
    }
    if (pv && (!bv || std::string_view(pending_[pi_].key) <= BaseKey())) {
      if (bv && std::string_view(pending_[pi_].key) == BaseKey()) base_->Next();  // shadowed
      if (!pending_[pi_].value) {
        ++pi_;  // a deletion: hides the key
        continue;
      }
      current_ = Source::kPending;
      return;
    }
    current_ = Source::kBase;
    return;
  }
}

void SubIterator::FindPrevVisible() {
  while (true) {
    bool bv = base_->Valid();
    bool pv = PendingValid();
    if (!bv && !pv) {
      current_ = Source::kNone;
      return;
    }
    if (pv && (!bv || std::string_view(pending_[pi_].key) >= BaseKey())) {
      if (bv && std::string_view(pending_[pi_].key) == BaseKey()) base_->Prev();  // shadowed
      if (!pending_[pi_].value) {
        --pi_;
        continue;
      }
      current_ = Source::kPending;
      return;
    }
    current_ = Source::kBase;
    return;
  }
}

void SubIterator::Next() {
  if (!forward_) {
    // Turn around: put both inputs just past the current key.
    std::string k(key());
    base_->Seek(k);
    if (base_->Valid() && BaseKey() == k) base_->Next();
    pi_ = UpperBound(k);
    forward_ = true;
  } else if (current_ == Source::kBase) {
    base_->Next();
  } else {
    ++pi_;
  }
  FindNextVisible();
}

void SubIterator::Prev() {
  if (forward_) {
    std::string k(key());
    base_->SeekForPrev(k);
    if (base_->Valid() && BaseKey() == k) base_->Prev();
    pi_ = LowerBound(k) - 1;
    forward_ = false;
  } else if (current_ == Source::kBase) {
    base_->Prev();
  } else {
    --pi_;
  }
  FindPrevVisible();
}

std::string_view SubIterator::key() const {
  return current_ == Source::kBase ? BaseKey() : std::string_view(pending_[pi_].key);
}

std::string_view SubIterator::sub() const { return key().substr(prefix_.size()); }

std::string_view SubIterator::value() const {
  if (current_ == Source::kBase) return {base_->value().data(), base_->value().size()};
  return *pending_[pi_].value;
}

Status SubIterator::status() const {
  return base_->status().ok() ? Status::OK() : Status::IOError(base_->status().ToString());
}

}  // namespace strata::storage
