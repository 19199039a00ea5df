# An ash script (run as busybox sh script.sh) that uses what shell scripts use: pipelines, read, command substitution,
# traps, background jobs and wait, functions, and applets run as programs through execve (applets/ holds their names as
# links to busybox). Everything it prints is deterministic: no pids, times or owners.
# Nothing may run before PATH names applets/: an empty environment's default PATH would find the host's programs under qemu.
PATH="${0%/*}/applets"
export PATH
work=/tmp/bulwark-busybox
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
trap 'echo "EXIT trap: cleaning up"; cd /; rm -rf "$work"' EXIT

cat >words.txt <<'WORDS'
pear apple
fig
apple
banana
cherry apple
fig
apple
date
banana
WORDS
printf 'alice 3\nbob 5\ncarol 11\n' >counts.txt

echo "== pipelines"
sort words.txt | uniq -c | sort -rn | head -n 3
grep -c apple words.txt
sed -n '2,4p' words.txt | awk '{ print NR ": " toupper($0) }'
awk '{ n += NF } END { print "fields:", n }' words.txt
wc -l <words.txt
tr 'a-z' 'A-Z' <counts.txt | cut -d' ' -f1 | xargs echo names:

echo "== read"
total=0
while read -r name count; do
    total=$((total + count))
    echo "$name has $count"
done <counts.txt
echo "total $total"
printf 'one two three\n' | { read -r a b c; echo "reversed: $c $b $a"; }
IFS=: read -r user rest <<'LINE'
root:x:0:0
LINE
echo "user $user, rest $rest"

echo "== command substitution"
files=$(ls | wc -l)
echo "files here: $files"
echo "nested: $(echo "$(echo inner) outer")"
longest=$(awk '{ if (length($0) > length(best)) best = $0 } END { print best }' words.txt)
echo "longest line: $longest"

echo "== find and xargs"
mkdir -p tree/a/b tree/c
touch tree/a/one tree/a/b/two tree/c/three
find tree -type f | sort
find tree -type f -name 't*' | sort | xargs -n 1 basename
find tree -type d | sort | head -n 2
ls tree/a

echo "== background jobs and wait"
(sleep 0.05; echo "slow job done") >slow.out &
slow=$!
(echo "quick job done") >quick.out &
wait "$slow"
echo "slow job status $?"
wait
cat slow.out quick.out
(exit 3) &
wait $!
echo "a failing job: $?"

echo "== traps and signals"
trap 'echo "USR1 trapped"' USR1
kill -USR1 $$
trap - USR1
sh -c 'kill -TERM $$'
echo "a shell killed by TERM: $?"
sh -c 'trap "echo child got INT; exit 7" INT; kill -INT $$; echo not reached'
echo "its status: $?"

echo "== functions"
fib() {
    if [ "$1" -lt 2 ]; then echo "$1"; else echo $(($(fib $(($1 - 1))) + $(fib $(($1 - 2))))); fi
}
echo "fib 7 = $(fib 7)"
count_words() { wc -w <"$1"; }
echo "words: $(count_words words.txt)"
case "$(head -n 1 words.txt)" in
pear*) echo "starts with pear" ;;
*) echo "something else" ;;
esac
exit 0
