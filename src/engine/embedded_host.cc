#include "engine/embedded_host.h"

#include "commands/dispatch.h"

namespace strata {

Store::Client::Rep::~Rep() {
  if (host != nullptr) host->Unregister(this);
}

void EmbeddedHost::Unregister(Store::Client::Rep* client) {
  if (!client->killed) commands::ReleaseSession(*state_, *client->session);
  clients_.erase(client->session->id);
}

bool EmbeddedHost::TakeShutdownRequest() {
  const bool requested = shutdown_requested_;
  shutdown_requested_ = false;
  return requested;
}

std::vector<commands::Host::ClientInfo> EmbeddedHost::Clients() {
  std::vector<ClientInfo> out;
  for (const auto& [id, client] : clients_) {
    if (client->killed) continue;
    out.push_back(ClientInfo{ClientInfoLine(*client->session), id, "", "", true});
  }
  return out;
}

bool EmbeddedHost::KillClient(uint64_t id) {
  auto it = clients_.find(id);
  if (it == clients_.end() || it->second->killed) return false;
  it->second->killed = true;
  commands::ReleaseSession(*state_, *it->second->session);
  return true;
}

size_t EmbeddedHost::ClientBufferBytes() {
  size_t bytes = 0;
  for (const auto& [id, client] : clients_) bytes += client->messages.size();
  return bytes;
}

// CLIENT LIST's fields, with what an in-process client has: no address, no socket, no
// buffers of its own.
std::string EmbeddedHost::ClientInfoLine(const commands::Session& s) {
  const int64_t now = state_->clock->NowMs();
  std::string flags = s.in_multi ? "x" : "";
  if (s.monitor) flags += 'O';
  if (s.subscribed()) flags += 'P';
  if (flags.empty()) flags = "N";
  return "id=" + std::to_string(s.id) + " addr= laddr= fd=-1 name=" + s.name +
         " age=" + std::to_string((now - s.created_ms) / 1000) + " idle=0 flags=" + flags +
         " db=" + std::to_string(s.db) + " sub=" + std::to_string(s.channels.size()) +
         " psub=" + std::to_string(s.patterns.size()) +
         " ssub=" + std::to_string(s.shard_channels.size()) +
         " multi=" + (s.in_multi ? std::to_string(s.queued.size()) : std::string("-1")) +
         " cmd=" + std::string(s.last_command) + " user=default lib-name=" + s.lib_name +
         " lib-ver=" + s.lib_ver + " resp=" + std::to_string(s.protocol);
}

void EmbeddedHost::Deliver(uint64_t id, std::string_view bytes) {
  auto it = clients_.find(id);
  if (it == clients_.end() || it->second->killed || it->second->session->replies_off) return;
  it->second->messages.append(bytes);
}

const commands::Session* EmbeddedHost::FindSession(uint64_t id) {
  auto it = clients_.find(id);
  return it == clients_.end() || it->second->killed ? nullptr : it->second->session.get();
}

}  // namespace strata
