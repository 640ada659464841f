#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 built from Maven Central (no Spark download): one Master and
# two Workers, for the cluster tests and for trying ./tribuo-rg-submit by hand.
#
#   local-cluster.sh start DIR     prints MASTER=spark://127.0.0.1:PORT and SPARK_HOME=DIR/spark-home
#   local-cluster.sh stop DIR      stops every process it started (also after a failed start)
#
# DIR/spark-home is a Spark home as the launcher expects one: jars/ holds spark-core_2.13's runtime
# dependencies at the versions Spark's own build pins (`mvn dependency:build-classpath` on a pom with one
# dependency that imports spark-parent's dependencyManagement; MVN names the command, default mvn,
# MVN_FLAGS e.g. -Dmaven.repo.local=...; offline first, then from Maven Central), and bin/spark-submit does what Spark's
# bin/spark-class does: org.apache.spark.launcher.Main builds the java command (Java 17 --add-opens
# flags, --driver-java-options, classpath) and the script runs it. SPARK_VERSION (default 4.0.1) and
# SPARK_SCALA (default 2.13) pick the release. WORKERS (default 2), WORKER_CORES (default 1) and
# WORKER_MEMORY (default 2g) size the cluster. Every port is chosen by the kernel (port 0; the Master's is read
# from its log), so two clusters never clash. Process ids are kept in DIR/pids; stop kills those only.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR" >&2
    exit 2
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
home="$dir/spark-home"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

stop() {
    if [ -f "$dir/pids" ]; then
        # Workers first (each kills its executors), then the Master.
        tac "$dir/pids" | while read -r pid; do
            if kill -0 "$pid" 2>/dev/null; then
                kill "$pid" 2>/dev/null || true
                for _ in $(seq 1 50); do
                    kill -0 "$pid" 2>/dev/null || break
                    sleep 0.2
                done
                kill -9 "$pid" 2>/dev/null || true
            fi
        done
        rm -f "$dir/pids"
    fi
}

spark_home() {
    if [ -f "$home/.complete" ]; then
        return
    fi
    mkdir -p "$home/jars" "$home/bin" "$home/conf"
    cat > "$dir/spark-pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
    <modelVersion>4.0.0</modelVersion>
    <groupId>local</groupId>
    <artifactId>spark-home</artifactId>
    <version>1</version>
    <!-- Spark's own version pins (e.g. Jackson 2.18.2 for 4.0.1), as its release's jars/ has them. -->
    <dependencyManagement>
        <dependencies>
            <dependency>
                <groupId>org.apache.spark</groupId>
                <artifactId>spark-parent_${SPARK_SCALA:-2.13}</artifactId>
                <version>${SPARK_VERSION:-4.0.1}</version>
                <type>pom</type>
                <scope>import</scope>
            </dependency>
        </dependencies>
    </dependencyManagement>
    <dependencies>
        <dependency>
            <groupId>org.apache.spark</groupId>
            <artifactId>spark-core_${SPARK_SCALA:-2.13}</artifactId>
            <version>${SPARK_VERSION:-4.0.1}</version>
        </dependency>
    </dependencies>
</project>
POM
    # Offline first (nothing to download once Spark's jars are in the local repository), else from Maven Central.
    # shellcheck disable=SC2086
    ${MVN:-mvn} -B -q -o ${MVN_FLAGS:-} -f "$dir/spark-pom.xml" dependency:build-classpath -Dmdep.outputFile="$dir/spark-classpath.txt" \
        > "$dir/spark-home-mvn.log" 2>&1 \
    || ${MVN:-mvn} -B -q ${MVN_FLAGS:-} -f "$dir/spark-pom.xml" dependency:build-classpath -Dmdep.outputFile="$dir/spark-classpath.txt" \
        >> "$dir/spark-home-mvn.log" 2>&1 || { cat "$dir/spark-home-mvn.log" >&2; exit 1; }
    tr ':' '\n' < "$dir/spark-classpath.txt" | while read -r jar; do
        [ -n "$jar" ] && ln -sf "$jar" "$home/jars/"
    done
    # Spark's bin/spark-class, reduced: the launcher prints the command, NUL-separated; run it.
    cat > "$home/bin/spark-submit" <<'SUBMIT'
#!/usr/bin/env bash
set -euo pipefail
export SPARK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SPARK_SCALA_VERSION="$(cat "$SPARK_HOME/scala-version")"   # as bin/load-spark-env.sh sets it
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# As bin/spark-class reads it: messages, one per line, until an empty line (the launcher's NUL, which bash
# drops), then the command's arguments, each ended by NUL.
cmd=()
delim=$'\n'
started=""
while IFS= read -r -d "$delim" arg; do
    if [ -n "$started" ]; then
        cmd+=("$arg")
    elif [ -z "$arg" ]; then
        delim=''
        started=yes
    else
        echo "$arg"
    fi
done < <("$java" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit "$@")
[ "${#cmd[@]}" -gt 0 ] || { echo "spark-submit: the launcher gave no command" >&2; exit 1; }
exec "${cmd[@]}"
SUBMIT
    chmod +x "$home/bin/spark-submit"
    echo "${SPARK_SCALA:-2.13}" > "$home/scala-version"
    touch "$home/.complete"
}

start() {
    stop
    spark_home
    export SPARK_HOME="$home"
    SPARK_SCALA_VERSION="$(cat "$home/scala-version")"   # as sbin/spark-daemon.sh sets it; the Workers' launcher needs it
    export SPARK_SCALA_VERSION
    # The flags Spark's launcher adds on Java 17 (org.apache.spark.launcher.JavaModuleOptions).
    local opens=(-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED
        --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
        --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
        --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
        --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
        --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
        --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
        --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
        -Dio.netty.tryReflectionSetAccessible=true)
    SPARK_LOCAL_IP=127.0.0.1 nohup "$java" -Xmx256m "${opens[@]}" -cp "$home/conf:$home/jars/*" \
        org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0 \
        > "$dir/master.log" 2>&1 < /dev/null &
    echo $! >> "$dir/pids"
    for _ in $(seq 1 300); do
        grep -q "I have been elected leader" "$dir/master.log" 2>/dev/null && break
        kill -0 "$(head -1 "$dir/pids")" 2>/dev/null || { cat "$dir/master.log" >&2; stop; exit 1; }
        sleep 0.2
    done
    grep -q "I have been elected leader" "$dir/master.log" || { echo "the Master did not start (log $dir/master.log)" >&2; stop; exit 1; }
    local master
    master="$(grep -o 'Starting Spark master at spark://127\.0\.0\.1:[0-9]*' "$dir/master.log" | head -1 | sed 's/^Starting Spark master at //')"
    [ -n "$master" ] || { echo "the Master's port is not in its log $dir/master.log" >&2; stop; exit 1; }
    local k
    for k in $(seq 1 "${WORKERS:-2}"); do
        mkdir -p "$dir/worker-$k"
        SPARK_LOCAL_IP=127.0.0.1 nohup "$java" -Xmx256m "${opens[@]}" -cp "$home/conf:$home/jars/*" \
            org.apache.spark.deploy.worker.Worker "$master" --host 127.0.0.1 --port 0 --webui-port 0 \
            --cores "${WORKER_CORES:-1}" --memory "${WORKER_MEMORY:-2g}" --work-dir "$dir/worker-$k" \
            > "$dir/worker-$k.log" 2>&1 < /dev/null &
        echo $! >> "$dir/pids"
    done
    for k in $(seq 1 "${WORKERS:-2}"); do
        for _ in $(seq 1 300); do
            grep -q "Successfully registered with master" "$dir/worker-$k.log" 2>/dev/null && break
            sleep 0.2
        done
        grep -q "Successfully registered with master" "$dir/worker-$k.log" \
            || { echo "Worker $k did not register (log $dir/worker-$k.log)" >&2; stop; exit 1; }
    done
    echo "MASTER=$master"
    echo "SPARK_HOME=$home"
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
