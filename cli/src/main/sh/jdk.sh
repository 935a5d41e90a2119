# Finding a JDK 21+ without a hand-set JAVA_HOME, shared by ./carafe (the repository's script) and
# the installed `carafe` launcher. Sourced; defines jdk_version and find_jdk.
MIN_JAVA=21

# The feature version (e.g. 25) of the JDK at $1, from its `release` file; 0 if it is not a JDK.
jdk_version() {
  local home="$1" v
  [ -x "$home/bin/javac" ] || { echo 0; return; }
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)
  echo "${v:-0}"
}

find_jdk() {
  local best="" best_v=0 home v
  # An explicit JAVA_HOME or the java on PATH wins when it is new enough.
  if [ -n "${JAVA_HOME:-}" ] && [ "$(jdk_version "$JAVA_HOME")" -ge $MIN_JAVA ]; then echo "$JAVA_HOME"; return; fi
  if command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if [ "$(jdk_version "$home")" -ge $MIN_JAVA ]; then echo "$home"; return; fi
  fi
  # Otherwise the newest JDK installed in the usual places (Linux packages, macOS, SDKMAN, IntelliJ).
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
              /Library/Java/JavaVirtualMachines/*/Contents/Home \
              "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.asdf/installs/java/*; do
    [ -d "$home" ] || continue
    v=$(jdk_version "$home")
    if [ "$v" -ge $MIN_JAVA ] && [ "$v" -gt "$best_v" ]; then best="$home"; best_v=$v; fi
  done
  [ -n "$best" ] || { echo "carafe: no JDK $MIN_JAVA+ found. Install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME." >&2; exit 1; }
  echo "$best"
}
