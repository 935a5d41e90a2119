package dev.carafe.dev;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads which classes a class file refers to, from its constant pool (class entries and the
 * descriptors of fields and methods it uses). Enough to find the sources that depend on a
 * changed class, so a reload recompiles them too — without a build tool's dependency graph.
 */
final class ClassDependencies {
    private ClassDependencies() {}

    /** Binary names (dotted) of classes referenced by {@code classFile}. */
    static Set<String> referencedBy(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) throw new IOException("Not a class file");
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classIndex = new int[count];
        int[] descriptorIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // eight-byte constants take two slots
                }
                case 9, 10, 11, 18, 17 -> {
                    in.readUnsignedShort();
                    in.readUnsignedShort();
                }
                case 12 -> {
                    in.readUnsignedShort();
                    descriptorIndex[i] = in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("Unknown constant pool tag " + tag);
            }
        }
        Set<String> out = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (classIndex[i] != 0 && utf8[classIndex[i]] != null) addInternal(utf8[classIndex[i]], out);
            if (descriptorIndex[i] != 0 && utf8[descriptorIndex[i]] != null) addDescriptor(utf8[descriptorIndex[i]], out);
        }
        return out;
    }

    private static void addInternal(String name, Set<String> out) {
        if (name.startsWith("[")) addDescriptor(name, out);
        else out.add(name.replace('/', '.'));
    }

    /** Adds every {@code Lpkg/Name;} in a descriptor. */
    private static void addDescriptor(String d, Set<String> out) {
        int i = 0;
        while ((i = d.indexOf('L', i)) >= 0) {
            int end = d.indexOf(';', i);
            if (end < 0) break;
            out.add(d.substring(i + 1, end).replace('/', '.'));
            i = end + 1;
        }
    }
}
