using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on the Vernaux entry that names <see cref="VersionName"/> in each ELF64
/// little-endian shared object. Leaves files that lack the entry, or have it weak already, untouched.
/// </summary>
public sealed class MarkElfVersionNeedWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string VersionName { get; set; } = string.Empty;

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var bytes = File.ReadAllBytes(path);
                var offset = FindNonWeakVernauxFlags(bytes, VersionName);
                if (offset < 0)
                {
                    Log.LogMessage(MessageImportance.Low, "{0}: no non-weak {1} version need; left as is.", path, VersionName);
                    continue;
                }

                var flags = BitConverter.ToUInt16(bytes, offset);
                BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(bytes, offset);
                // Write a new file and move it over the old one: the old one may be a hard link
                // into the NuGet package cache, which must stay pristine.
                var temp = path + ".weak-tmp";
                File.WriteAllBytes(temp, bytes);
                File.Delete(path);
                File.Move(temp, path);
                Log.LogMessage(MessageImportance.High, "{0}: marked version need {1} weak (Debian 12 libstdc++ compatibility).", path, VersionName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                Log.LogError("Could not patch {0}: {1}", path, ex.Message);
            }
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>Returns the file offset of the vna_flags field to patch, or -1.</summary>
    private static int FindNonWeakVernauxFlags(byte[] elf, string versionName)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new ArgumentException("not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new ArgumentException("only 64-bit little-endian ELF files are supported");
        }

        var sectionHeaderOffset = checked((int)BitConverter.ToUInt64(elf, 0x28));
        var sectionHeaderSize = BitConverter.ToUInt16(elf, 0x3A);
        var sectionCount = BitConverter.ToUInt16(elf, 0x3C);

        for (var i = 0; i < sectionCount; i++)
        {
            var header = sectionHeaderOffset + (i * sectionHeaderSize);
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var verneedOffset = checked((int)BitConverter.ToUInt64(elf, header + 0x18));
            var linkedStringSection = BitConverter.ToUInt32(elf, header + 0x28);
            var verneedCount = BitConverter.ToUInt32(elf, header + 0x2C); // sh_info: number of entries
            var stringHeader = sectionHeaderOffset + ((int)linkedStringSection * sectionHeaderSize);
            var stringsOffset = checked((int)BitConverter.ToUInt64(elf, stringHeader + 0x18));

            var need = verneedOffset;
            for (var n = 0; n < verneedCount; n++)
            {
                var auxCount = BitConverter.ToUInt16(elf, need + 2);
                var aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var flags = BitConverter.ToUInt16(elf, aux + 4);
                    var nameOffset = (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (ReadCString(elf, stringsOffset + nameOffset) == versionName)
                    {
                        return (flags & VerFlgWeak) != 0 ? -1 : aux + 4;
                    }

                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }

                var next = BitConverter.ToUInt32(elf, need + 12);
                if (next == 0)
                {
                    break;
                }

                need += (int)next;
            }
        }

        return -1;
    }

    private static string ReadCString(byte[] data, int start)
    {
        var end = start;
        while (end < data.Length && data[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(data, start, end - start);
    }
}
