#include "strata/store.h"

#include "common/clock.h"
#include "engine/engine.h"

namespace strata {

struct Store::Client::Rep {
  std::unique_ptr<commands::Session> session;
};

Store::Client::Client(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Store::Client::~Client() = default;
uint64_t Store::Client::id() const { return rep_->session->id; }

Store::Store(std::unique_ptr<engine::Engine> engine) : engine_(std::move(engine)) {}
Store::~Store() = default;

StatusOr<std::unique_ptr<Store>> Store::Open(const std::vector<std::string>& args) {
  auto cfg = std::make_unique<config::Config>();
  Status s = cfg->LoadFromArgs(args);
  if (s.ok()) s = cfg->Finalize();
  if (!s.ok()) return s;
  auto engine = engine::Engine::Open(std::move(cfg), SystemClock::Default(), nullptr);
  if (!engine.ok()) return engine.status();
  return std::unique_ptr<Store>(new Store(std::move(*engine)));
}

std::unique_ptr<Store::Client> Store::NewClient() {
  auto rep = std::make_unique<Client::Rep>();
  rep->session = engine_->NewSession();
  return std::unique_ptr<Client>(new Client(std::move(rep)));
}

void Store::Execute(Client& client, const std::vector<std::string_view>& args, std::string* reply) {
  if (args.empty()) return;
  commands::Session& session = *client.rep_->session;
  protocol::ReplyBuilder builder(reply, session.protocol);
  size_t before = reply->size();
  engine_->Execute(session, args, builder);
  Status s = engine_->Commit();
  if (!s.ok()) {
    // Never acknowledge what did not reach the disk.
    reply->resize(before);
    builder.Error("ERR " + s.message());
  }
}

void Store::RunPeriodicTasks() { engine_->Cron(); }

}  // namespace strata
