// What the network server is to the commands (commands::Host), for a Store used in-process:
// its clients are the Store's Client objects, messages sent to one are kept until the
// program takes them, and nothing waits on a socket.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands/context.h"
#include "strata/store.h"

namespace strata {

struct Store::Client::Rep {
  std::unique_ptr<commands::Session> session;
  std::string messages;  // RESP bytes sent to this client, not yet taken
  bool killed = false;   // by CLIENT KILL
  EmbeddedHost* host = nullptr;
  ~Rep();
};

class EmbeddedHost : public commands::Host {
 public:
  explicit EmbeddedHost(commands::ServerState* state) : state_(state) {}

  void Register(Store::Client::Rep* client) { clients_[client->session->id] = client; }
  // Forgets a client that is going away, and its subscriptions and watches.
  void Unregister(Store::Client::Rep* client);
  // Whether SHUTDOWN ran since the last call (it is answered with an error in-process).
  bool TakeShutdownRequest();

  std::vector<ClientInfo> Clients() override;
  bool KillClient(uint64_t id) override;
  void Shutdown() override { shutdown_requested_ = true; }
  size_t ConnectedClients() override { return clients_.size(); }
  size_t ClientBufferBytes() override;
  uint16_t Port() override { return 0; }
  std::string ClientInfoLine(const commands::Session& session) override;
  bool UnblockClient(uint64_t id, bool error) override { return false; }  // none ever waits
  size_t BlockedClients() override { return 0; }
  void Deliver(uint64_t id, std::string_view bytes) override;
  const commands::Session* FindSession(uint64_t id) override;
  void ResumePaused() override {}

 private:
  commands::ServerState* state_;
  std::map<uint64_t, Store::Client::Rep*> clients_;  // by id, so CLIENT LIST is in id order
  bool shutdown_requested_ = false;
};

}  // namespace strata
