#include "commands/pubsub.h"

#include <algorithm>

#include "commands/context.h"
#include "common/glob.h"

namespace strata::commands {
namespace {

void AppendBulk(std::string* out, std::string_view s) {
  out->push_back('$');
  out->append(std::to_string(s.size()));
  out->append("\r\n");
  out->append(s);
  out->append("\r\n");
}

// A message as RESP2 (array) or RESP3 (push): kind, [pattern,] channel, payload.
std::string Encode(bool resp3, std::string_view kind, const std::string_view* pattern,
                   std::string_view channel, std::string_view message) {
  std::string out;
  out.reserve(32 + kind.size() + channel.size() + message.size() + (pattern ? pattern->size() : 0));
  out.push_back(resp3 ? '>' : '*');
  out.append(pattern ? "4\r\n" : "3\r\n");
  AppendBulk(&out, kind);
  if (pattern) AppendBulk(&out, *pattern);
  AppendBulk(&out, channel);
  AppendBulk(&out, message);
  return out;
}

}  // namespace

bool PubSub::Add(Index& index, Session& s, std::vector<std::string>& mine, std::string_view name) {
  std::vector<Session*>& subs = index[std::string(name)];
  if (std::find(subs.begin(), subs.end(), &s) != subs.end()) return false;
  subs.push_back(&s);
  mine.emplace_back(name);
  return true;
}

bool PubSub::Remove(Index& index, Session& s, std::vector<std::string>& mine,
                    std::string_view name) {
  auto it = index.find(std::string(name));
  if (it == index.end()) return false;
  auto pos = std::find(it->second.begin(), it->second.end(), &s);
  if (pos == it->second.end()) return false;
  it->second.erase(pos);
  if (it->second.empty()) index.erase(it);
  mine.erase(std::find(mine.begin(), mine.end(), name));
  return true;
}

bool PubSub::Subscribe(Session& s, std::string_view channel) {
  return Add(channels_, s, s.channels, channel);
}
bool PubSub::Unsubscribe(Session& s, std::string_view channel) {
  return Remove(channels_, s, s.channels, channel);
}
bool PubSub::PSubscribe(Session& s, std::string_view pattern) {
  return Add(patterns_, s, s.patterns, pattern);
}
bool PubSub::PUnsubscribe(Session& s, std::string_view pattern) {
  return Remove(patterns_, s, s.patterns, pattern);
}
bool PubSub::SSubscribe(Session& s, std::string_view channel) {
  return Add(shard_channels_, s, s.shard_channels, channel);
}
bool PubSub::SUnsubscribe(Session& s, std::string_view channel) {
  return Remove(shard_channels_, s, s.shard_channels, channel);
}

void PubSub::Forget(Session& s) {
  // Removing edits the session's lists: walk copies.
  for (const std::string& c : std::vector<std::string>(s.channels)) Unsubscribe(s, c);
  for (const std::string& p : std::vector<std::string>(s.patterns)) PUnsubscribe(s, p);
  for (const std::string& c : std::vector<std::string>(s.shard_channels)) SUnsubscribe(s, c);
}

namespace {

// Hands one message to every subscriber in `subs`, encoded once per protocol (on first use).
size_t Fanout(Host* host, const std::vector<Session*>& subs, std::string_view kind,
              const std::string_view* pattern, std::string_view channel, std::string_view message) {
  std::string encoded[2];  // RESP2, RESP3
  for (Session* s : subs) {
    bool resp3 = s->protocol == 3;
    std::string& bytes = encoded[resp3];
    if (bytes.empty()) bytes = Encode(resp3, kind, pattern, channel, message);
    if (host) host->Deliver(s->id, bytes);
  }
  return subs.size();
}

}  // namespace

size_t PubSub::SPublish(Host* host, std::string_view channel, std::string_view message) {
  auto it = shard_channels_.find(std::string(channel));
  if (it == shard_channels_.end()) return 0;
  return Fanout(host, it->second, "smessage", nullptr, channel, message);
}

size_t PubSub::Publish(Host* host, std::string_view channel, std::string_view message) {
  size_t receivers = 0;
  auto it = channels_.find(std::string(channel));
  if (it != channels_.end()) {
    receivers += Fanout(host, it->second, "message", nullptr, channel, message);
  }
  for (const auto& [pattern, subs] : patterns_) {
    if (!GlobMatch(pattern, channel)) continue;
    std::string_view p = pattern;
    receivers += Fanout(host, subs, "pmessage", &p, channel, message);
  }
  return receivers;
}

std::vector<std::string> PubSub::Channels(std::string_view pattern, bool shard) const {
  std::vector<std::string> out;
  for (const auto& [name, subs] : shard ? shard_channels_ : channels_) {
    if (pattern.empty() || GlobMatch(pattern, name)) out.push_back(name);
  }
  return out;
}

size_t PubSub::NumSub(std::string_view channel, bool shard) const {
  const auto& index = shard ? shard_channels_ : channels_;
  auto it = index.find(std::string(channel));
  return it == index.end() ? 0 : it->second.size();
}

}  // namespace strata::commands
