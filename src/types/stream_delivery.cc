// Consumer groups handing entries to consumers: XREADGROUP's new and pending reads, XCLAIM and
// XAUTOCLAIM. The command handlers parse arguments and reply; what moves between the stream,
// the group and the pending lists is decided here. Every function stages its changes into the
// command's batch and ends with FinishWrite.
#include "types/stream.h"

namespace strata::types {

Status Stream::TouchConsumer(std::string_view group, std::string_view consumer, int64_t now,
                             Delivery* delivery) {
  auto created = PutConsumer(group, StreamConsumer{std::string(consumer), now});
  if (!created.ok()) return created.status();
  delivery->consumer_created = delivery->consumer_created || *created;
  return Status::OK();
}

void Stream::ClaimOne(std::string_view group, PendingEntry p, std::string_view consumer,
                      const ClaimOptions& options, bool had_owner) {
  std::optional<std::string> previous;
  if (had_owner) previous = p.consumer;
  p.consumer.assign(consumer);
  p.delivery_ms = options.delivery_ms;
  if (options.retry >= 0) {
    p.delivery_count = static_cast<uint64_t>(options.retry);
  } else if (!options.justid) {
    ++p.delivery_count;
  }
  PutPending(group, p, previous ? std::optional<std::string_view>(*previous) : std::nullopt);
}

StatusOr<Stream::Delivery> Stream::DeliverNew(StreamGroup* group, std::string_view consumer,
                                              uint64_t count, bool noack, int64_t now) {
  Delivery out;
  Status touched = TouchConsumer(group->name, consumer, now, &out);
  if (!touched.ok()) return touched;
  // A poll that finds nothing new (a blocked consumer's, often) stops here, as it always did:
  // only the consumer record changed, and that does not move the memory copy's limits.
  StreamId start = group->last_id;
  if (length() == 0 || !start.Incr()) return out;
  auto entries = Range(start, StreamId::Max(), false, count);
  if (!entries.ok()) return entries.status();
  if (entries->empty()) return out;
  for (const StreamEntry& e : *entries) {
    AdvanceGroup(group, e.id);
    if (noack) continue;
    auto existing = GetPending(group->name, e.id);
    if (!existing.ok()) return existing.status();
    // An entry delivered before (the group's ID was set back) starts over with this consumer.
    std::optional<std::string> previous;
    if (*existing) previous = (*existing)->consumer;
    PutPending(group->name, PendingEntry{e.id, std::string(consumer), now, 1},
               previous ? std::optional<std::string_view>(*previous) : std::nullopt);
  }
  PutGroup(*group);
  FinishWrite();
  out.entries = std::move(*entries);
  out.deleted.assign(out.entries.size(), false);
  return out;
}

StatusOr<Stream::Delivery> Stream::DeliverPending(const StreamGroup& group,
                                                  std::string_view consumer, StreamId after,
                                                  uint64_t count, int64_t now) {
  Delivery out;
  Status touched = TouchConsumer(group.name, consumer, now, &out);
  if (!touched.ok()) return touched;
  std::vector<PendingEntry> mine;
  const std::string owner(consumer);
  if (after.Incr()) {
    Status st = ScanPending(group.name, &owner, after, StreamId::Max(), [&](const PendingEntry& p) {
      mine.push_back(p);
      return count == 0 || mine.size() < count;
    });
    if (!st.ok()) return st;
  }
  for (PendingEntry& p : mine) {
    auto entry = Get(p.id);
    if (!entry.ok()) return entry.status();
    if (*entry) {
      // Only entries that still exist count as delivered again.
      p.delivery_ms = now;
      ++p.delivery_count;
      PutPending(group.name, p, p.consumer);
      out.entries.push_back(std::move(**entry));
      out.deleted.push_back(false);
    } else {
      out.entries.push_back(StreamEntry{p.id, {}});
      out.deleted.push_back(true);
    }
  }
  FinishWrite();
  return out;
}

StatusOr<Stream::Delivery> Stream::Claim(const StreamGroup& group, std::string_view consumer,
                                         const std::vector<StreamId>& ids,
                                         const ClaimOptions& options, int64_t now) {
  Delivery out;
  bool consumer_touched = false;
  for (const StreamId& id : ids) {
    auto p = GetPending(group.name, id);
    if (!p.ok()) return p.status();
    auto entry = Get(id);
    if (!entry.ok()) return entry.status();
    if (!*entry) {
      // Deleted from the stream: it leaves the PEL too, and is not returned.
      if (*p) DeletePending(group.name, id, (*p)->consumer);
      continue;
    }
    const bool had_owner = p->has_value();
    PendingEntry pe;
    if (*p) {
      pe = std::move(**p);
      if (options.min_idle > 0 && now - pe.delivery_ms < options.min_idle) continue;
    } else if (options.force) {
      pe = PendingEntry{id, "", now, 1};
    } else {
      continue;
    }
    if (!consumer_touched) {
      Status touched = TouchConsumer(group.name, consumer, now, &out);
      if (!touched.ok()) return touched;
      consumer_touched = true;
    }
    ClaimOne(group.name, std::move(pe), consumer, options, had_owner);
    out.entries.push_back(std::move(**entry));
    out.deleted.push_back(false);
  }
  FinishWrite();
  return out;
}

StatusOr<Stream::AutoClaimed> Stream::AutoClaim(const StreamGroup& group, std::string_view consumer,
                                                int64_t min_idle, StreamId start, int64_t count,
                                                bool justid, int64_t now) {
  AutoClaimed out;
  const int64_t attempts = count * 10;
  std::vector<PendingEntry> candidates;
  // The PEL is read first (at most `attempts` entries and the one after), then changed.
  Status st = ScanPending(group.name, nullptr, start, StreamId::Max(), [&](const PendingEntry& p) {
    if (static_cast<int64_t>(candidates.size()) == attempts) {
      out.cursor = p.id;
      return false;
    }
    candidates.push_back(p);
    return true;
  });
  if (!st.ok()) return st;
  ClaimOptions options;
  options.delivery_ms = now;
  options.justid = justid;
  bool consumer_touched = false;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (count == 0) {
      out.cursor = candidates[i].id;  // the next entry to look at
      break;
    }
    PendingEntry& p = candidates[i];
    auto entry = Get(p.id);
    if (!entry.ok()) return entry.status();
    if (!*entry) {
      DeletePending(group.name, p.id, p.consumer);
      out.deleted.push_back(p.id);
      continue;
    }
    if (min_idle > 0 && now - p.delivery_ms < min_idle) continue;
    if (!consumer_touched) {
      Status touched = TouchConsumer(group.name, consumer, now, &out.claimed);
      if (!touched.ok()) return touched;
      consumer_touched = true;
    }
    ClaimOne(group.name, p, consumer, options, /*had_owner=*/true);
    out.claimed.entries.push_back(std::move(**entry));
    out.claimed.deleted.push_back(false);
    --count;
  }
  FinishWrite();
  return out;
}

}  // namespace strata::types
