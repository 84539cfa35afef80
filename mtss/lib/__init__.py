"""Small helpers shared by the apps; framework-free except for shared choices."""
