#include "commands/tracking.h"

#include <algorithm>

#include "commands/context.h"

namespace strata::commands {
namespace {

constexpr std::string_view kInvalidateChannel = "__redis__:invalidate";

// The key list of an invalidation: [key], or null for "everything".
std::string KeyList(const std::string* key) {
  if (key == nullptr) return "*-1\r\n";
  return "*1\r\n$" + std::to_string(key->size()) + "\r\n" + *key + "\r\n";
}

std::string Push(const std::string* key) {
  if (key == nullptr) return ">2\r\n$10\r\ninvalidate\r\n_\r\n";
  return ">2\r\n$10\r\ninvalidate\r\n" + KeyList(key);
}

}  // namespace

void Tracking::Enable(Session& s, Mode mode) {
  if (mode.bcast && mode.prefixes.empty()) mode.prefixes.push_back("");
  if (auto old = clients_.find(s.id); old != clients_.end() && mode.bcast) {
    for (const std::string& p : old->second.mode.prefixes) {
      if (std::find(mode.prefixes.begin(), mode.prefixes.end(), p) == mode.prefixes.end()) {
        mode.prefixes.push_back(p);
      }
    }
  }
  Disable(s);
  if (mode.bcast) {
    for (const std::string& p : mode.prefixes) prefixes_[p].push_back(s.id);
  } else {
    mode.prefixes.clear();
  }
  clients_[s.id] = Client{std::move(mode), false, {}};
}

void Tracking::Disable(Session& s) {
  auto it = clients_.find(s.id);
  if (it == clients_.end()) return;
  for (auto p = prefixes_.begin(); p != prefixes_.end();) {
    std::erase(p->second, s.id);
    p = p->second.empty() ? prefixes_.erase(p) : std::next(p);
  }
  clients_.erase(it);
  // Keys it read stay in keys_ until they change; Invalidate skips clients no longer here.
}

const Tracking::Mode* Tracking::ModeOf(uint64_t client) const {
  auto it = clients_.find(client);
  return it == clients_.end() ? nullptr : &it->second.mode;
}

bool Tracking::redirect_broken(uint64_t client) const {
  auto it = clients_.find(client);
  return it != clients_.end() && it->second.broken;
}

void Tracking::Remember(ServerState& server, uint64_t client,
                        const std::vector<std::string_view>& keys, size_t max_keys) {
  for (std::string_view k : keys) {
    std::vector<uint64_t>& readers = keys_[std::string(k)];
    if (std::find(readers.begin(), readers.end(), client) != readers.end()) continue;
    readers.push_back(client);
    ++items_;
  }
  while (max_keys != 0 && keys_.size() > max_keys) {
    // Any key will do (Redis picks at random); one that is not among those just read.
    auto victim = keys_.begin();
    if (std::find(keys.begin(), keys.end(), victim->first) != keys.end() && keys_.size() > 1) {
      ++victim;
    }
    ForgetKey(server, victim, /*writer=*/0);
  }
}

void Tracking::Invalidate(ServerState& server, std::string_view key, uint64_t writer) {
  if (keys_.empty() && prefixes_.empty()) return;  // every write passes here
  if (auto it = keys_.find(key); it != keys_.end()) ForgetKey(server, it, writer);
  for (auto& [prefix, ids] : prefixes_) {
    if (!key.starts_with(prefix)) continue;
    const std::string name(key);
    for (uint64_t id : ids) Tell(server, id, name, writer);
  }
}

void Tracking::ForgetKey(ServerState& server, KeyTable::iterator it, uint64_t writer) {
  const std::string name = it->first;  // the entry goes below
  std::vector<uint64_t> readers = std::move(it->second);
  keys_.erase(it);
  items_ -= readers.size();
  for (uint64_t id : readers) {
    // A reader that has since turned tracking off, or on again in BCAST mode, is not told.
    auto c = clients_.find(id);
    if (c != clients_.end() && !c->second.mode.bcast) Tell(server, id, name, writer);
  }
}

void Tracking::Tell(ServerState& server, uint64_t client, const std::string& key, uint64_t writer) {
  auto c = clients_.find(client);
  if (c == clients_.end()) return;
  if (client == writer) {
    if (!c->second.mode.noloop) c->second.own.push_back(key);  // after its reply
    return;
  }
  Send(server, client, c->second, &key);
}

void Tracking::InvalidateAll(ServerState& server) {
  keys_.clear();
  items_ = 0;
  for (auto& [id, c] : clients_) Send(server, id, c, nullptr);
}

void Tracking::FlushOwn(ServerState& server, uint64_t client) {
  auto it = clients_.find(client);
  if (it == clients_.end() || it->second.own.empty()) return;
  std::vector<std::string> own = std::move(it->second.own);
  it->second.own.clear();
  for (const std::string& k : own) Send(server, client, it->second, &k);
}

void Tracking::Send(ServerState& server, uint64_t client, Client& c, const std::string* key) {
  Host* host = server.host;
  if (host == nullptr) return;
  const uint64_t to = c.mode.redirect != 0 ? c.mode.redirect : client;
  const Session* target = host->FindSession(to);
  if (target == nullptr) {
    // The redirect target is gone: a RESP3 client hears it once, as from Redis.
    const Session* self = host->FindSession(client);
    if (!c.broken && self != nullptr && self->protocol >= 3) {
      host->Deliver(client, ">2\r\n$21\r\ntracking-redir-broken\r\n:" +
                                std::to_string(c.mode.redirect) + "\r\n");
    }
    c.broken = true;
    return;
  }
  if (target->protocol >= 3) return host->Deliver(to, Push(key));
  // RESP2: only through the invalidation channel, to a client subscribed to it.
  if (std::find(target->channels.begin(), target->channels.end(), kInvalidateChannel) ==
      target->channels.end()) {
    return;
  }
  host->Deliver(to, "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n" + KeyList(key));
}

}  // namespace strata::commands
