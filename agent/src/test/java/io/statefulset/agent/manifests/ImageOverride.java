package io.statefulset.agent.manifests;

import java.util.Map;
import java.util.Set;

/** One entry of a kustomization's {@code images}: containers whose image is {@code name[:tag]} get a new name/tag. */
record ImageOverride(String name, String newName, String newTag) {
    static ImageOverride from(Map<String, Object> entry) {
        if (!Set.of("name", "newName", "newTag").containsAll(entry.keySet())) {
            throw new UnsupportedOperationException("images: only name/newName/newTag are supported, got " + entry.keySet());
        }
        Object tag = entry.get("newTag");
        if (tag != null && !(tag instanceof String)) {
            // kustomize reads newTag as text; an unquoted 10.10 would be the number 10.1 here.
            throw new IllegalArgumentException("images: newTag " + tag + " of " + entry.get("name") + " must be quoted");
        }
        return new ImageOverride((String) entry.get("name"), (String) entry.get("newName"), (String) tag);
    }

    /** The image with this override applied, or unchanged when its name is another one. */
    String apply(String image) {
        ImageReference ref = ImageReference.parse(image);
        if (!ref.name().equals(name)) return image;
        return new ImageReference(newName != null ? newName : ref.name(), newTag != null ? newTag : ref.tag()).toString();
    }
}
