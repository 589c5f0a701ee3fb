// Security: OAuth2 password flow with JWT access tokens and scrypt password hashes.
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>

#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

struct User {
  std::string username;
  std::string full_name;
  std::string hashed_password;
};
struct UserOut {
  std::string username;
  std::string full_name;
};
BOOST_DESCRIBE_STRUCT(UserOut, (), (username, full_name))
struct Token {
  std::string access_token;
  std::string token_type;
};
BOOST_DESCRIBE_STRUCT(Token, (), (access_token, token_type))
struct Claims {
  std::string sub;
};
BOOST_DESCRIBE_STRUCT(Claims, (), (sub))

struct Auth {  // A fresh key each start; load one (jwt::Key::pem, hmac) from settings instead.
  vivace::jwt::Key key = vivace::jwt::Key::generate(vivace::jwt::Algorithm::ES256);
  std::map<std::string, User> users = {
      {"johndoe", {"johndoe", "John Doe", vivace::password::hash("correct horse")}}};
};

using OAuth2 = vivace::OAuth2PasswordBearer<"/token">;

User current_user(OAuth2 token, vivace::Inject<Auth> auth) {
  vivace::jwt::VerifyOptions options;
  options.algorithms = {vivace::jwt::Algorithm::ES256};
  try {
    auto claims = vivace::jwt::verify_as<Claims>(token.token, auth->key, options);
    if (auto it = auth->users.find(claims.sub); it != auth->users.end())
      return it->second;
  } catch (const vivace::jwt::VerifyError&) {
  }
  throw vivace::HTTPException(401, "Could not validate credentials",
                              {{"WWW-Authenticate", "Bearer"}});
}

int main() {
  vivace::App app({.title = "Security"});
  app.provide<Auth>([] { return std::make_shared<Auth>(); });

  // A coroutine: the hash is verified on the server's CPU pool, not on a worker.
  app.post<"/token">([](vivace::Form<vivace::OAuth2PasswordRequestForm> form,
                        vivace::Inject<Auth> auth, vivace::Request& req) -> vivace::Task<Token> {
    auto it = auth->users.find(form->username);
    if (it == auth->users.end() || !co_await vivace::password::verify_async(
                                       req, form->password.reveal(), it->second.hashed_password))
      throw vivace::HTTPException(401, "Incorrect username or password",
                                  {{"WWW-Authenticate", "Bearer"}});
    const auto expires = std::time(nullptr) + 30 * 60;
    co_return Token{vivace::jwt::sign({{"sub", form->username}, {"exp", expires}}, auth->key),
                    "bearer"};
  });

  app.get<"/users/me">([](vivace::Depends<current_user> user) {
    return UserOut{user->username, user->full_name};
  });

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
