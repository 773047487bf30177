# Sourced by the tests that start Samba daemons. They write a little to the compiled-in
# /var/log/samba whatever their configuration says (samba-dcerpcd and rpcd_* open it before they
# read it; smbd and winbindd create empty logs there): remember what was there, put it back after.
samba_var_log=/var/log/samba
declare -A samba_var_log_state=()  # file -> "size mtime"

remember_samba_var_log() {
  local f
  for f in "$samba_var_log"/*; do [ -f "$f" ] && samba_var_log_state[$f]=$(stat -c '%s %Y' "$f"); done
  return 0
}

restore_samba_var_log() {
  local f size mtime
  for f in "$samba_var_log"/*; do
    [ -f "$f" ] || continue
    if [ -z "${samba_var_log_state[$f]:-}" ]; then rm -f "$f"; continue; fi
    read -r size mtime <<< "${samba_var_log_state[$f]}"
    [ "$(stat -c '%s %Y' "$f")" = "$size $mtime" ] || { truncate -s "$size" "$f"; touch -d "@$mtime" "$f"; }
  done
  return 0
}
